package dev.gputracker.worker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.observability.ErrorReporting;
import dev.gputracker.worker.scrape.health.HealthVerdict;
import dev.gputracker.worker.scrape.health.YieldFigures;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sentry hears of a source's health once per change; the metrics show it every run. */
class HealthReportingTest {
  private static final YieldFigures FIGURES = new YieldFigures(6, 6, 5, 3, 2);

  @Test
  @DisplayName(
      "one Sentry event per change of a source's health, none for a run that changed nothing")
  void oneEventPerChange() throws Exception {
    // Sentry's service is not reachable here: a local HTTP server stands in for its ingest
    // endpoint.
    Vertx vertx = Vertx.vertx();
    List<String> envelopes = new CopyOnWriteArrayList<>();
    HttpServer sentry =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              byte[] bytes = body.getBytes();
                              if ("gzip".equalsIgnoreCase(req.getHeader("content-encoding"))) {
                                try (GZIPInputStream in =
                                    new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                                  bytes = in.readAllBytes();
                                } catch (IOException e) {
                                  throw new IllegalStateException(e);
                                }
                              }
                              envelopes.add(new String(bytes, StandardCharsets.UTF_8));
                              req.response().end("{}");
                            }))
            .listen(0, "127.0.0.1")
            .await();
    try {
      ErrorReporting.init(
          new Env(Map.of("SENTRY_DSN", "http://public@127.0.0.1:" + sentry.actualPort() + "/7")),
          "worker");
      FailureReporter reporter = new FailureReporter();
      reporter.onHealth(new HealthVerdict("shop", 1, "ok", "never_run", null, FIGURES));
      reporter.onHealth(
          new HealthVerdict("shop", 2, "suspect", "ok", "listings read fell to 6", FIGURES));
      reporter.onHealth(
          new HealthVerdict("shop", 3, "suspect", null, "listings read fell to 5", FIGURES));
      reporter.onHealth(
          new HealthVerdict("shop", 4, "suspect", null, "listings read fell to 5", FIGURES));
      ErrorReporting.flush(Duration.ofSeconds(10));
      String all = String.join("\n", envelopes);
      assertThat(envelopes).as(all).hasSize(2);
      assertThat(all)
          .contains("source shop is suspect (was ok): listings read fell to 6")
          .contains("\"health\":\"suspect\"")
          .contains("source shop is ok (was never_run)")
          .doesNotContain("fell to 5");
    } finally {
      ErrorReporting.close();
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("the metrics show each source's health and the yield of its latest run")
  void metrics() {
    WorkerMetrics metrics = new WorkerMetrics();
    metrics.onHealth(
        new HealthVerdict("shop", 2, "suspect", "ok", "listings read fell to 6", FIGURES));
    String scrape = metrics.registry().scrape();
    assertThat(scrape)
        .contains("gpu_tracker_source_health{health=\"suspect\",source=\"shop\"} 1.0")
        .contains("gpu_tracker_source_health{health=\"ok\",source=\"shop\"} 0.0")
        .contains("gpu_tracker_source_yield{figure=\"read\",source=\"shop\"} 6.0")
        .contains("gpu_tracker_source_yield{figure=\"pagination_depth\",source=\"shop\"} 3.0");
  }
}
