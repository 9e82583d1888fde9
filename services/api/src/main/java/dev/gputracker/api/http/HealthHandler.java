package dev.gputracker.api.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/** {@code /health} and {@code /ready}: 200 while the database answers within 2 s, else 503 with the reason. */
final class HealthHandler {
  private final Pool pool;

  HealthHandler(Pool pool) {
    this.pool = pool;
  }

  void health(RoutingContext ctx) {
    pool.query("SELECT 1").execute()
        .timeout(2, TimeUnit.SECONDS)
        .onSuccess(rows -> respond(ctx, 200, new JsonObject().put("status", "healthy").put("database", "connected")))
        .onFailure(err -> respond(ctx, 503, new JsonObject().put("status", "unhealthy").put("database", "unreachable")
            .put("reason", String.valueOf(err.getMessage()))));
  }

  private static void respond(RoutingContext ctx, int status, JsonObject body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
          .putHeader("cache-control", "no-store").end(body.encode());
    }
  }
}
