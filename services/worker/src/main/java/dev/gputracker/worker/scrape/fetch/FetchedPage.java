package dev.gputracker.worker.scrape.fetch;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One fetched page or API response, exactly as it arrived: adapters decode the bytes themselves
 * because pages lie about their charset.
 *
 * @param url the final URL (after redirects); relative links resolve against it
 * @param status the HTTP status
 * @param contentType the Content-Type header, or null
 * @param body the raw body, never null
 * @param headers the response headers in arrival order (name, value), for {@code probe --save};
 *     empty for saved pages
 */
public record FetchedPage(
    URI url, int status, String contentType, byte[] body, List<Map.Entry<String, String>> headers) {
  public FetchedPage {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(body, "body");
    headers = headers == null ? List.of() : List.copyOf(headers);
  }

  /** A page without its response headers (a saved file, a test page). */
  public FetchedPage(URI url, int status, String contentType, byte[] body) {
    this(url, status, contentType, body, List.of());
  }
}
