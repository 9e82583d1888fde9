package dev.gputracker.worker.scrape.fetch;

import java.net.URI;
import java.util.Objects;

/**
 * Why a fetch failed, as one class per cause so the scrape engine can count errors per class.
 *
 * <p>The message is one line and always names the URL.
 */
public final class FetchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The error classes a fetch can end in. */
  public enum Kind {
    /** connect or read (idle) timeout */
    TIMEOUT,
    /** the host name did not resolve (DNS) */
    DNS,
    /** the host answered the connection attempt with a refusal (nothing listens on the port) */
    REFUSED,
    /** the TLS handshake failed (certificate, protocol) */
    TLS,
    /** any other failure to connect (no route, a proxy that refused the tunnel) */
    CONNECT,
    /** a non-2xx status after all retries; {@link #status()} says which */
    HTTP_STATUS,
    /** the body passed the size limit */
    TOO_LARGE,
    /** robots.txt forbids the URL for our agent */
    ROBOTS_DISALLOWED,
    /**
     * robots.txt could not be read (network failure, 429 or 5xx): RFC 9309 says to assume a
     * complete disallow, and the message names why it could not be read
     */
    ROBOTS_UNREACHABLE,
    /** a redirect pointed back at a URL already visited */
    REDIRECT_LOOP,
    /** more redirect hops than allowed */
    TOO_MANY_REDIRECTS,
    /** any other transport failure (connection reset, bad URL …) */
    IO
  }

  private final Kind kind;
  private final URI url;
  private final int status;
  private final String detail;

  public FetchException(Kind kind, URI url, String detail) {
    this(kind, url, 0, detail, null);
  }

  public FetchException(Kind kind, URI url, int status, String detail, Throwable cause) {
    super(kind + " " + url + ": " + detail, cause, false, false);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.url = url;
    this.status = status;
    this.detail = detail;
  }

  static FetchException httpStatus(URI url, int status, String detail) {
    return new FetchException(Kind.HTTP_STATUS, url, status, detail, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The URL being fetched when it failed (the redirect hop, not necessarily the first URL). */
  public URI url() {
    return url;
  }

  /** The cause in words, without the kind and the URL ("unknown host example.com (…)"). */
  public String detail() {
    return detail;
  }

  /** The HTTP status for {@link Kind#HTTP_STATUS}, otherwise 0. */
  public int status() {
    return status;
  }
}
