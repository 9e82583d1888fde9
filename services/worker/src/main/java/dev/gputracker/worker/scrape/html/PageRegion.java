package dev.gputracker.worker.scrape.html;

import dev.gputracker.worker.scrape.fetch.FetchedPage;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where the items of a result page are in its raw bytes (see {@link HtmlPages#parseRegion}): from
 * the {@code <} of the tag carrying the first start marker to the {@code >} of the tag carrying the
 * first end marker after the last start marker. Found on the bytes, before decoding, so that only
 * the region is decoded; this works for UTF-8 and single-byte charsets, where every ASCII character
 * is its own byte and never part of another character.
 */
final class PageRegion {
  private final int from;
  private final int to;
  private final Charset charset;

  private PageRegion(int from, int to, Charset charset) {
    this.from = from;
    this.to = to;
    this.charset = charset;
  }

  /**
   * The region of {@code page}, or empty when its charset is not ASCII-compatible or it has no
   * start marker.
   */
  static Optional<PageRegion> of(FetchedPage page, String startMarker, String endMarker) {
    Optional<Charset> charset = HtmlPages.asciiCompatible(page);
    if (charset.isEmpty()) {
      return Optional.empty();
    }
    byte[] body = page.body();
    ByteSearch start = new ByteSearch(startMarker);
    int first = start.in(body, 0);
    if (first < 0) {
      return Optional.empty();
    }
    ByteSearch end = new ByteSearch(endMarker);
    // The end marker is searched forwards from each start marker that follows the last end marker
    // found, which
    // ends on the first end marker after the last start marker without searching the page
    // backwards.
    int endAt = end.in(body, first);
    while (endAt >= 0) {
      int later = start.in(body, endAt);
      if (later < 0) {
        break;
      }
      endAt = end.in(body, later);
    }
    int from = first;
    while (from > 0 && body[from] != '<') {
      from--;
    }
    int close = endAt;
    while (close >= 0 && close < body.length && body[close] != '>') {
      close++;
    }
    int to = close < 0 || close >= body.length ? body.length : close + 1;
    return Optional.of(new PageRegion(from, to, charset.get()));
  }

  /** {from, to} of the region in already decoded {@code text}, as {@link #of} finds it in bytes. */
  static int[] bounds(String text, int first, String startMarker, String endMarker) {
    int from = Math.max(0, text.lastIndexOf('<', first));
    int end = text.indexOf(endMarker, first);
    while (end >= 0) {
      int later = text.indexOf(startMarker, end);
      if (later < 0) {
        break;
      }
      end = text.indexOf(endMarker, later);
    }
    int close = end < 0 ? -1 : text.indexOf('>', end);
    return new int[] {from, close < 0 ? text.length() : close + 1};
  }

  /**
   * The region's text. A page whose bytes are not UTF-8 is windows-1252 (see {@link HtmlPages});
   * only text with a replacement character can have had bad bytes, so only such a region pays for
   * checking the whole page. A region of valid UTF-8 stays UTF-8 even if bytes elsewhere in the
   * page are not.
   */
  String decode(byte[] body) {
    String text = new String(body, from, to - from, charset);
    if (charset.equals(StandardCharsets.UTF_8)
        && text.indexOf('\uFFFD') >= 0
        && !HtmlPages.isUtf8(body)) {
      return new String(body, from, to - from, HtmlPages.WINDOWS_1252);
    }
    return text;
  }
}
