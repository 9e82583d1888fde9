package dev.gputracker.worker.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's small HTTP port for platforms and monitoring: {@code /health} (200 while the
 * database answers, else 503 with the reason; PaaS health checks and container HEALTHCHECKs use it)
 * and {@code /metrics} (Prometheus).
 */
public final class OpsServer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
  private static final long DB_CHECK_TIMEOUT_MS = 2_000;

  private final int port;
  private final Pool pool;
  private final PrometheusMeterRegistry registry;
  private HttpServer server;

  public OpsServer(int port, Pool pool, PrometheusMeterRegistry registry) {
    this.port = port;
    this.pool = pool;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(port, "0.0.0.0")
        .onSuccess(
            s -> {
              server = s;
              LOG.info("Worker health and metrics on port {}", s.actualPort());
            });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(5, TimeUnit.SECONDS);
  }

  public int port() {
    return server.actualPort();
  }

  private void health(RoutingContext ctx) {
    pool.query("SELECT 1")
        .execute()
        .timeout(DB_CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onSuccess(
            rows ->
                json(
                    ctx,
                    200,
                    new JsonObject().put("status", "healthy").put("database", "connected")))
        .onFailure(
            err ->
                json(
                    ctx,
                    503,
                    new JsonObject()
                        .put("status", "unhealthy")
                        .put("database", "unreachable")
                        .put("reason", String.valueOf(err.getMessage()))));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
