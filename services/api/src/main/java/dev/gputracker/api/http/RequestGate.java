package dev.gputracker.api.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the HTTP layer answers before any route sees a request, each as problem+json with a request
 * id: a request the decoder could not read (414 request line too long, 431 headers too large, 400
 * malformed: a bad request line, a {@code Content-Length} that is no number), an HTTP version other
 * than 1.0 and 1.1 (505), and a URI that is not validly percent-encoded (400; the router would only
 * find out while matching routes). Connections that sent something unreadable are closed after the
 * answer, since where the next request starts is unknown.
 */
public final class RequestGate implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestGate.class);

  /**
   * How long a rejected connection stays open after its answer unless the client closes it first.
   * Closing at once with request bytes still unread makes the kernel send a reset, which can
   * destroy the answer before the client reads it; meanwhile the decoder discards whatever else
   * arrives.
   */
  private static final long LINGER_MS = 1_000;

  private final Vertx vertx;
  private final Handler<HttpServerRequest> next;
  private final int maxRequestLineBytes;
  private final int maxHeaderBytes;

  public RequestGate(
      Vertx vertx, Handler<HttpServerRequest> next, int maxRequestLineBytes, int maxHeaderBytes) {
    this.vertx = vertx;
    this.next = next;
    this.maxRequestLineBytes = maxRequestLineBytes;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (request.version() == null) {
      // Vert.x passes an unknown version on only with its WebSocket upgrade check off (ApiMain
      // turns it off).
      reject(
          request,
          new Problem(
              505, "HTTP version not supported", "this server speaks HTTP/1.1 and HTTP/1.0", null),
          true);
      return;
    }
    String uri = request.uri();
    if (uri == null || !validEscapes(uri)) {
      reject(
          request,
          new Problem(
              400,
              "Bad request",
              "the request's URI is not validly percent-encoded "
                  + "(a % must be followed by two hexadecimal digits)",
              null),
          false);
      return;
    }
    String path = request.path();
    if (path == null || !path.startsWith("/")) {
      reject(
          request,
          new Problem(
              400, "Bad request", "the request target must be a path starting with /", null),
          false);
      return;
    }
    next.handle(request);
  }

  /**
   * The answer to a request the HTTP decoder could not read ({@code
   * HttpServer.invalidRequestHandler}).
   */
  public void invalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    Problem problem;
    if (cause instanceof TooLongHttpLineException) {
      problem =
          new Problem(
              414,
              "URI too long",
              "the request line is longer than " + maxRequestLineBytes + " bytes",
              null);
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem =
          new Problem(
              431,
              "Request header fields too large",
              "the request's headers are larger than " + maxHeaderBytes + " bytes",
              null);
    } else {
      problem =
          new Problem(
              400,
              "Bad request",
              "the request could not be read as HTTP"
                  + (cause == null || cause.getMessage() == null
                      ? ""
                      : ": " + Text.excerpt(cause.getMessage())),
              null);
    }
    // The decoder's placeholder URI is no instance of anything.
    reject(request, problem, true, null);
  }

  private void reject(HttpServerRequest request, Problem problem, boolean close) {
    reject(request, problem, close, request.uri());
  }

  private void reject(HttpServerRequest request, Problem problem, boolean close, String uri) {
    String id = Long.toHexString(ThreadLocalRandom.current().nextLong());
    LOG.atDebug()
        .addKeyValue("request_id", id)
        .log("{} before routing: {}", problem.status(), problem.getMessage());
    try {
      if (close) {
        request.response().putHeader("connection", "close");
      }
      problem.send(request.response(), uri, id);
      if (close) {
        HttpConnection connection = request.connection();
        vertx.setTimer(LINGER_MS, t -> connection.close());
      }
    } catch (RuntimeException e) {
      LOG.debug("could not answer a rejected request", e);
      request.connection().close();
    }
  }

  /** Whether every {@code %} in {@code uri} starts an escape of two hexadecimal digits. */
  static boolean validEscapes(String uri) {
    for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
      if (i + 2 >= uri.length() || !isHex(uri.charAt(i + 1)) || !isHex(uri.charAt(i + 2))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
