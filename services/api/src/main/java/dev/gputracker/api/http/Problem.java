package dev.gputracker.api.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem: thrown by handlers (or created by the failure handler) and rendered as
 * {@code application/problem+json}.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  public static final String CONTENT_TYPE = "application/problem+json";

  /** The longest request URI echoed back as {@code instance}. */
  private static final int MAX_INSTANCE = 200;

  private final int status;
  private final String title;
  private final String parameter;

  public Problem(int status, String title, String detail, String parameter) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.parameter = parameter;
  }

  /** A 400 naming the query parameter that is wrong. */
  public static Problem badParameter(String name, String detail) {
    return new Problem(400, "Bad request parameter", detail, name);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "Not found", detail, null);
  }

  public int status() {
    return status;
  }

  public JsonObject toJson(String instance) {
    JsonObject json =
        new JsonObject()
            .put("type", "about:blank")
            .put("title", title)
            .put("status", status)
            .put("detail", getMessage());
    if (instance != null) {
      json.put(
          "instance",
          instance.length() > MAX_INSTANCE ? instance.substring(0, MAX_INSTANCE) + "…" : instance);
    }
    if (parameter != null) {
      json.put("parameter", parameter.length() > 64 ? Text.excerpt(parameter) : parameter);
    }
    return json;
  }

  /**
   * Sends this problem as the whole response, with the request id, and {@code Retry-After} on a 503
   * that has none; does nothing when the response is already on its way.
   */
  public void send(HttpServerResponse response, String instance, String requestId) {
    if (response.ended() || response.headWritten() || response.closed()) {
      return;
    }
    JsonObject body = toJson(instance);
    if (requestId != null) {
      body.put("request_id", requestId);
      response.putHeader("x-request-id", requestId);
    }
    if (status == 503 && response.headers().get("retry-after") == null) {
      response.putHeader("retry-after", Integer.toString(Failures.RETRY_AFTER_SECONDS));
    }
    // A failure may come after a handler set headers for a body that is not coming.
    response.headers().remove("etag").remove("content-encoding");
    response
        .setStatusCode(status)
        .putHeader("content-type", CONTENT_TYPE)
        .putHeader("cache-control", "no-store")
        .end(body.toBuffer());
  }
}
