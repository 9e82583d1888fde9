package dev.gputracker.api.http;

import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem: thrown by handlers (or created by the failure handler) and rendered as
 * {@code application/problem+json}.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

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
    JsonObject json = new JsonObject().put("type", "about:blank").put("title", title).put("status", status)
        .put("detail", getMessage()).put("instance", instance);
    if (parameter != null) {
      json.put("parameter", parameter);
    }
    return json;
  }
}
