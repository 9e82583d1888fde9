package dev.gputracker.worker.scrape;

import java.net.URI;
import java.util.Objects;

/**
 * One fetched page or API response, exactly as it arrived: adapters decode the bytes themselves because pages lie
 * about their charset.
 *
 * @param url the final URL (after redirects); relative links resolve against it
 * @param status the HTTP status
 * @param contentType the Content-Type header, or null
 * @param body the raw body, never null
 */
public record FetchedPage(URI url, int status, String contentType, byte[] body) {
  public FetchedPage {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(body, "body");
  }
}
