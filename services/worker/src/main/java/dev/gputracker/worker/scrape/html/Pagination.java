package dev.gputracker.worker.scrape.html;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Finds the next page of a result list from what the page itself links to, so that an adapter never
 * invents a page the site does not have: {@code <link rel="next">} / {@code <a rel="next">} first,
 * then a link whose {@code page} query parameter is one more than the current page's.
 */
public final class Pagination {
  private static final Pattern PAGE_PARAM = Pattern.compile("(?:^|[?&])page=(\\d+)");

  private Pagination() {}

  /**
   * The next page as the page links to it, resolved against {@code url}, or empty on the last page.
   */
  public static Optional<URI> next(Document doc, URI url) {
    for (Element link : doc.select("link[rel=next][href], a[rel=next][href]")) {
      Optional<URI> next = uri(url, link.attr("href"));
      if (next.isPresent()) {
        return next;
      }
    }
    int wanted = pageOf(url) + 1;
    for (Element a : doc.select("a[href*=page=]")) {
      Optional<URI> candidate = uri(url, a.attr("href"));
      if (candidate.isPresent() && pageOf(candidate.get()) == wanted) {
        return candidate;
      }
    }
    return Optional.empty();
  }

  /** The {@code page} query parameter of {@code url}, 1 when absent. */
  public static int pageOf(URI url) {
    String query = url.getRawQuery();
    if (query == null) {
      return 1;
    }
    Matcher m = PAGE_PARAM.matcher(query);
    if (!m.find() || m.group(1).length() > 6) {
      return 1;
    }
    return Integer.parseInt(m.group(1));
  }

  /** {@code href} resolved against {@code base}, or empty when it is not a usable http(s) URL. */
  public static Optional<URI> uri(URI base, String href) {
    String absolute = HtmlPages.absolute(base, href);
    if (absolute == null) {
      return Optional.empty();
    }
    try {
      URI uri = URI.create(absolute);
      String scheme = uri.getScheme();
      return "http".equals(scheme) || "https".equals(scheme) ? Optional.of(uri) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
