package dev.gputracker.api.server;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Liveness apart from readiness, as orchestrators read them. {@code /health} says the process and
 * its event loop answer, and nothing else: a database outage must not make an orchestrator restart
 * every replica at once. {@code /ready} says whether this replica should get traffic: 503 while the
 * database does not answer within 2 s, and 503 from the moment shutdown begins (the drain), so a
 * load balancer stops sending before connections close.
 */
final class HealthHandler {
  private final Pool pool;
  private final BooleanSupplier draining;

  HealthHandler(Pool pool, BooleanSupplier draining) {
    this.pool = pool;
    this.draining = draining;
  }

  void live(RoutingContext ctx) {
    respond(ctx, 200, new JsonObject().put("status", "alive"));
  }

  void ready(RoutingContext ctx) {
    if (draining.getAsBoolean()) {
      respond(
          ctx,
          503,
          new JsonObject().put("status", "draining").put("reason", "the API is shutting down"));
      return;
    }
    pool.query("SELECT 1")
        .execute()
        .timeout(2, TimeUnit.SECONDS)
        .onSuccess(
            rows ->
                respond(
                    ctx, 200, new JsonObject().put("status", "ready").put("database", "connected")))
        .onFailure(
            err ->
                respond(
                    ctx,
                    503,
                    new JsonObject()
                        .put("status", "unready")
                        .put("database", "unreachable")
                        .put("reason", String.valueOf(err.getMessage()))));
  }

  private static void respond(RoutingContext ctx, int status, JsonObject body) {
    if (!ctx.response().ended()) {
      ctx.response()
          .setStatusCode(status)
          .putHeader("content-type", "application/json")
          .putHeader("cache-control", "no-store")
          .end(body.encode());
    }
  }
}
