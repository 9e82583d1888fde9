package dev.gputracker.api.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** JSON response helpers shared by the resources. */
public final class Json {
  private Json() {}

  public static void send(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("content-type", "application/json").end(body.encode());
  }

  public static String iso(OffsetDateTime t) {
    return t == null ? null : t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
