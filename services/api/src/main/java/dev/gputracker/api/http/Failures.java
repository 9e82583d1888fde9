package dev.gputracker.api.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.ext.web.handler.HttpException;

/**
 * Every way a request can fail, turned into the problem the client gets and what the operator
 * should hear of it: nothing (the client's mistake), a warning (the database is away: 503 with
 * {@code Retry-After}), or an error with an alert (a bug: 500). Pure: no I/O, so the failure
 * handler built on it cannot fail for reasons of its own.
 */
public final class Failures {
  /** Seconds a client should wait before retrying a 503 caused by the database. */
  public static final int RETRY_AFTER_SECONDS = 2;

  /** Who is at fault, which decides how loudly the failure is recorded. */
  public enum Kind {
    /** The request was wrong (4xx): logged at debug level. */
    CLIENT,
    /**
     * The database or the API is not able to answer now (503 with Retry-After): one warning line.
     */
    UNAVAILABLE,
    /** Our bug (500): logged with its stack and reported to error tracking. */
    BUG
  }

  /** The answer to a failed request. */
  public record Outcome(Problem problem, Kind kind) {}

  private Failures() {}

  /**
   * @param err what failed the request, or null when a handler failed it with a bare status code
   * @param status the status code it was failed with, or -1
   */
  public static Outcome classify(Throwable err, int status) {
    if (err instanceof Problem p) {
      return new Outcome(
          p, p.status() >= 500 ? (p.status() == 503 ? Kind.UNAVAILABLE : Kind.BUG) : Kind.CLIENT);
    }
    if (err instanceof HttpException h) {
      return byStatus(h.getStatusCode(), h.getPayload());
    }
    if (err == null || (status >= 400 && status < 500)) {
      return byStatus(status, null);
    }
    switch (DatabaseErrors.classify(err)) {
      case UNAVAILABLE:
        return new Outcome(unavailable(err), Kind.UNAVAILABLE);
      case INVALID_VALUE:
        return new Outcome(
            new Problem(
                400,
                "Bad request",
                "the database refused a value in this request ("
                    + DatabaseErrors.sqlState(err)
                    + "); check the parameters",
                null),
            Kind.CLIENT);
      default:
        break;
    }
    if (isBadEncoding(err)) {
      return new Outcome(
          new Problem(400, "Bad request", "the request's URI is not validly percent-encoded", null),
          Kind.CLIENT);
    }
    return new Outcome(
        new Problem(
            500, "Internal error", "an unexpected error happened; it has been logged", null),
        Kind.BUG);
  }

  private static Outcome byStatus(int status, String detail) {
    switch (status) {
      case 503:
        return new Outcome(
            new Problem(
                503,
                "Service unavailable",
                detail != null ? detail : "the request did not complete in time; try again shortly",
                null),
            Kind.UNAVAILABLE);
      case 406:
        return new Outcome(
            new Problem(
                406,
                "Not acceptable",
                "this resource answers in application/json (listings" + " also in text/csv)",
                null),
            Kind.CLIENT);
      case 404:
        return new Outcome(Problem.notFound("no such resource"), Kind.CLIENT);
      default:
        if (status >= 400 && status < 500) {
          return new Outcome(
              new Problem(
                  status,
                  HttpResponseStatus.valueOf(status).reasonPhrase(),
                  detail != null && !detail.isBlank()
                      ? Text.excerpt(detail)
                      : "the request could not be handled",
                  null),
              Kind.CLIENT);
        }
        return new Outcome(
            new Problem(
                500, "Internal error", "an unexpected error happened; it has been logged", null),
            Kind.BUG);
    }
  }

  private static Problem unavailable(Throwable err) {
    String state = DatabaseErrors.sqlState(err);
    String why;
    if ("57P03".equals(state)) {
      why = "the database is starting up or recovering";
    } else if ("57014".equals(state)) {
      why = "the database did not answer within the statement timeout";
    } else if (state != null && state.startsWith("57")) {
      why = "the database is shutting down or ended this session";
    } else if (state != null && state.startsWith("53")) {
      why = "the database is out of connections or resources";
    } else if (err.getMessage() != null && err.getMessage().equals("Pool closed")) {
      why = "the API is shutting down";
    } else {
      why = "the database is not reachable";
    }
    return new Problem(503, "Service unavailable", why + "; try again shortly", null);
  }

  /**
   * Vert.x Web decodes the path lazily, so a bad escape ({@code /%zz}) surfaces as an
   * IllegalArgumentException.
   */
  private static boolean isBadEncoding(Throwable err) {
    for (Throwable t = err; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof IllegalArgumentException
          && t.getMessage() != null
          && (t.getMessage().contains("escape")
              || t.getMessage().contains("URLDecoder")
              || t.getMessage().contains("decod"))) {
        return true;
      }
    }
    return false;
  }
}
