package dev.gputracker.worker.scrape.html;

import dev.gputracker.worker.scrape.fetch.FetchedPage;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Turns the raw bytes of a fetched page into a jsoup {@link Document}, decoding them the way a
 * browser would and surviving the pages that lie.
 *
 * <p>The charset comes from, in order: a byte-order mark, the {@code Content-Type} header's {@code
 * charset}, a {@code <meta charset>} (or {@code http-equiv} Content-Type) in the first 4 KiB, else
 * UTF-8. A page that claims UTF-8 (or claims nothing) but whose bytes are not UTF-8 is decoded as
 * windows-1252, the superset of ISO-8859-1 that browsers use for it: Best Buy Canada served
 * ISO-8859-1 bytes under a UTF-8 meta. A page cut off in the middle of a multi-byte character still
 * counts as UTF-8, and jsoup closes whatever a truncated page left open.
 */
public final class HtmlPages {
  static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
  private static final int SNIFF_BYTES = 4096;

  /**
   * Every printable ASCII character: a single-byte charset that encodes them as ASCII does (not
   * EBCDIC).
   */
  private static final String PRINTABLE_ASCII =
      IntStream.rangeClosed(0x20, 0x7E)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
          .toString();

  private static final Pattern HEADER_CHARSET =
      Pattern.compile("(?i)charset\\s*=\\s*[\"']?([\\w.:-]+)");
  private static final Pattern META_CHARSET =
      Pattern.compile("(?i)<meta[^>]*?charset\\s*=\\s*[\"']?\\s*([\\w.:-]+)");

  private HtmlPages() {}

  /** Decodes and parses {@code page}; relative links resolve against {@code page.url()}. */
  public static Document parse(FetchedPage page) {
    return Jsoup.parse(decode(page), page.url().toString());
  }

  /**
   * Parses only the region of the page that holds the items: from the tag that carries the first
   * {@code startMarker} to the end of the tag that carries the first {@code endMarker} after the
   * last start marker (the pagination), or to the end of the page when there is none. Result pages
   * wrap a few hundred kilobytes of items in as much again of navigation, footers and scripts;
   * parsing them is most of a scrape's CPU. jsoup closes whatever the cut leaves open. Script and
   * style contents and comments are dropped too ({@link #withoutScripts}): on a search page a third
   * of the bytes are inline scripts. Without a start marker (a robot check, an empty result) the
   * whole page is parsed, so an adapter still sees everything when the page is not what it expects.
   *
   * <p>The region is cut from the raw bytes and only the region is decoded ({@link PageRegion}):
   * decoding a whole 700 KB page took as long as parsing its results.
   */
  public static Document parseRegion(FetchedPage page, String startMarker, String endMarker) {
    String html =
        PageRegion.of(page, startMarker, endMarker)
            .map(region -> region.decode(page.body()))
            .orElseGet(() -> cut(decode(page), startMarker, endMarker));
    return Jsoup.parse(withoutScripts(html), page.url().toString());
  }

  /**
   * The region of already decoded text (a page whose charset is not ASCII-compatible), or all of
   * it.
   */
  private static String cut(String html, String startMarker, String endMarker) {
    int first = html.indexOf(startMarker);
    if (first < 0) {
      return html;
    }
    int[] bounds = PageRegion.bounds(html, first, startMarker, endMarker);
    return html.substring(bounds[0], bounds[1]);
  }

  /**
   * The charset of a page whose bytes can be cut where its ASCII markup is: UTF-8 or a single-byte
   * charset, with no byte-order mark. Empty for the rest (UTF-16, multi-byte East Asian charsets),
   * whose text is cut after decoding.
   */
  static Optional<Charset> asciiCompatible(FetchedPage page) {
    if (bomLength(page.body()) > 0) {
      return Optional.empty();
    }
    Charset declared = declared(page);
    boolean compatible =
        declared.equals(StandardCharsets.UTF_8)
            || (declared.canEncode()
                && declared.newEncoder().maxBytesPerChar() == 1
                && Arrays.equals(
                    PRINTABLE_ASCII.getBytes(declared),
                    PRINTABLE_ASCII.getBytes(StandardCharsets.ISO_8859_1)));
    return compatible ? Optional.of(declared) : Optional.empty();
  }

  /**
   * {@code html} with script and style contents and comments cut out, the way the HTML tokenizer
   * delimits them.
   */
  static String withoutScripts(String html) {
    int length = html.length();
    StringBuilder out = null;
    int copied = 0;
    int i = html.indexOf('<');
    while (i >= 0) {
      int cutFrom;
      int resume;
      if (html.startsWith("<!--", i)) {
        int end = html.indexOf("-->", i + 4);
        cutFrom = i;
        resume = end < 0 ? length : end + 3;
      } else if (startsTag(html, i, "script") || startsTag(html, i, "style")) {
        String name = startsTag(html, i, "script") ? "script" : "style";
        int open = html.indexOf('>', i);
        if (open < 0) {
          break;
        }
        cutFrom = open + 1;
        int close = indexOfIgnoreCase(html, "</" + name, cutFrom);
        resume = close < 0 ? length : close;
      } else {
        i = html.indexOf('<', i + 1);
        continue;
      }
      if (out == null) {
        out = new StringBuilder(length);
      }
      out.append(html, copied, cutFrom);
      copied = resume;
      i = html.indexOf('<', resume);
    }
    return out == null ? html : out.append(html, copied, length).toString();
  }

  private static boolean startsTag(String html, int lt, String name) {
    int end = lt + 1 + name.length();
    if (end >= html.length() || !html.regionMatches(true, lt + 1, name, 0, name.length())) {
      return false;
    }
    char after = html.charAt(end);
    return after == '>' || after == '/' || Character.isWhitespace(after);
  }

  private static int indexOfIgnoreCase(String s, String what, int from) {
    for (int i = s.indexOf('<', from); i >= 0; i = s.indexOf('<', i + 1)) {
      if (s.regionMatches(true, i, what, 0, what.length())) {
        return i;
      }
    }
    return -1;
  }

  /** The page's text, decoded as {@link #charsetOf(FetchedPage)} says. */
  public static String decode(FetchedPage page) {
    byte[] body = page.body();
    int skip = bomLength(body);
    if (skip > 0) {
      return new String(body, skip, body.length - skip, bom(body).orElseThrow());
    }
    Charset declared = declared(page);
    if (!declared.equals(StandardCharsets.UTF_8)) {
      return new String(body, declared);
    }
    // Decode once, optimistically: the JDK's UTF-8 decoding is vectorised, and only text with a
    // replacement
    // character can have had malformed bytes, so only such text pays for the strict check.
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') < 0 || isUtf8(body)) {
      return text;
    }
    return new String(body, WINDOWS_1252);
  }

  /**
   * The charset this page's bytes are really in (see the class comment for the order of evidence).
   */
  public static Charset charsetOf(FetchedPage page) {
    byte[] body = page.body();
    Optional<Charset> bom = bom(body);
    if (bom.isPresent()) {
      return bom.get();
    }
    Charset declared = declared(page);
    if (declared.equals(StandardCharsets.UTF_8) && !isUtf8(body)) {
      return WINDOWS_1252;
    }
    return declared;
  }

  /**
   * The charset the header or the page declares (UTF-8 when neither does), with the labels browsers
   * remap.
   */
  private static Charset declared(FetchedPage page) {
    Charset declared =
        fromHeader(page.contentType())
            .or(() -> fromMeta(page.body()))
            .orElse(StandardCharsets.UTF_8);
    if (declared.name().equals("ISO-8859-1") || declared.name().equals("US-ASCII")) {
      // As browsers do (WHATWG Encoding): both labels mean windows-1252, which has printable
      // 0x80-0x9F.
      return WINDOWS_1252;
    }
    return declared;
  }

  /**
   * {@code href} resolved against the page's URL, or null when there is none or it is not a valid
   * URL.
   */
  public static String absolute(URI base, String href) {
    if (href == null || href.isBlank()) {
      return null;
    }
    try {
      return base.resolve(href.trim().replace(" ", "%20")).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Whether {@code bytes} are well-formed UTF-8, forgiving a character cut off by truncation at the
   * very end.
   */
  static boolean isUtf8(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult result = decoder.decode(in, out, false);
      if (result.isOverflow()) {
        out.clear();
        continue;
      }
      if (result.isError()) {
        return false;
      }
      // Underflow: everything read except, possibly, an incomplete sequence of at most 3 bytes at
      // the end.
      return in.remaining() <= 3;
    }
  }

  private static int bomLength(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
      return 3;
    }
    if (b.length >= 2
        && (((b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF)
            || ((b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE))) {
      return 2;
    }
    return 0;
  }

  private static Optional<Charset> bom(byte[] b) {
    if (bomLength(b) == 3) {
      return Optional.of(StandardCharsets.UTF_8);
    }
    if (bomLength(b) == 2) {
      return Optional.of(
          (b[0] & 0xFF) == 0xFE ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
    }
    return Optional.empty();
  }

  private static Optional<Charset> fromHeader(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    Matcher m = HEADER_CHARSET.matcher(contentType);
    return m.find() ? charset(m.group(1)) : Optional.empty();
  }

  private static Optional<Charset> fromMeta(byte[] body) {
    // Only ASCII matters for the meta tag, and ISO-8859-1 maps every byte to one char without
    // failing.
    String head =
        new String(body, 0, Math.min(body.length, SNIFF_BYTES), StandardCharsets.ISO_8859_1);
    Matcher m = META_CHARSET.matcher(head);
    return m.find() ? charset(m.group(1)) : Optional.empty();
  }

  private static Optional<Charset> charset(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("utf8")) {
      n = "utf-8";
    }
    try {
      return Optional.of(Charset.forName(n));
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return Optional.empty();
    }
  }

  /**
   * The card of one item on a result page whose markup has no stable item class: the largest
   * ancestor of {@code link} in which every link matching {@code itemLinks} points to the same item
   * ({@code sameItem}).
   */
  public static Element card(Element link, String itemLinks, Predicate<String> sameItem) {
    Element card = link;
    for (Element parent = link.parent(); parent != null; parent = parent.parent()) {
      if (!parent.select(itemLinks).stream().allMatch(a -> sameItem.test(a.attr("href")))) {
        break;
      }
      card = parent;
    }
    return card;
  }
}
