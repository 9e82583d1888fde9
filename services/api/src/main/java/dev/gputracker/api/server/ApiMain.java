package dev.gputracker.api.server;

import dev.gputracker.api.ApiConfig;
import dev.gputracker.api.http.RateLimiter;
import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.observability.ErrorReporting;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the read-only API: one HTTP verticle per event loop over a shared, read-only database
 * pool.
 */
public final class ApiMain {
  private static final Logger LOG = LoggerFactory.getLogger(ApiMain.class);

  private ApiMain() {}

  public static void main(String[] args) {
    // The API serves no WebSockets. With Vert.x's upgrade check off, a request in an unknown HTTP
    // version reaches
    // RequestGate, which answers 505 problem+json (the check itself answers an empty 501). Read
    // once, at class load.
    System.setProperty("vertx.disableWebsockets", "true");
    Env env = Env.system();
    ApiConfig config;
    try {
      config = ApiConfig.from(env);
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    }
    ErrorReporting.init(env, "api");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setPreferNativeTransport(true)
                    .setMetricsOptions(
                        new MicrometerMetricsOptions()
                            .setEnabled(true)
                            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
    vertx.exceptionHandler(err -> ErrorReporting.capture(err, Map.of("where", "event-loop")));
    int instances = Runtime.getRuntime().availableProcessors();
    ApiConfig finalConfig = config;
    HttpVerticle.Shared shared =
        new HttpVerticle.Shared(
            new RateLimiter(finalConfig.rateLimitPerMinute(), finalConfig.http().trustedProxies()),
            registry,
            new AtomicInteger());
    vertx
        .deployVerticle(
            () -> new HttpVerticle(finalConfig, shared, instances),
            new DeploymentOptions().setInstances(instances))
        .onSuccess(
            id ->
                LOG.info(
                    "API on http://localhost:{}/ ({} event loops, {} transport, database {},"
                        + " trusted proxies {})",
                    finalConfig.port(),
                    instances,
                    vertx.isNativeTransportEnabled() ? "native" : "NIO",
                    finalConfig.database().redacted(),
                    finalConfig.http().trustedProxies()))
        .onFailure(
            err -> {
              System.err.println("error: the API could not start: " + err.getMessage());
              System.exit(1);
            });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // Undeploying runs each verticle's stop(), which drains in-flight requests and
                  // closes the pool within the grace
                  // period; past it (a stop that hangs for a reason of its own) the JVM exits
                  // anyway: 143 after SIGTERM.
                  if (finalConfig.shutdownNoticeSeconds() > 0) {
                    LOG.info(
                        "Stopping: /ready answers 503 and the API still serves for {} s",
                        finalConfig.shutdownNoticeSeconds());
                  }
                  try {
                    vertx.close().await(finalConfig.shutdownGraceSeconds(), TimeUnit.SECONDS);
                    LOG.info("API stopped");
                  } catch (TimeoutException e) {
                    LOG.warn(
                        "API did not stop within {} s; exiting anyway",
                        finalConfig.shutdownGraceSeconds());
                  }
                  ErrorReporting.flush(Duration.ofSeconds(1));
                },
                "api-shutdown"));
  }
}
