package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.http.RateLimiter;
import dev.gputracker.api.server.HttpVerticle;
import dev.gputracker.shared.testing.TestDatabases;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiMetricsTest {

  @Test
  @DisplayName("/metrics serves Prometheus text with the HTTP server's request figures")
  void metrics() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setMetricsOptions(
                        new MicrometerMetricsOptions()
                            .setEnabled(true)
                            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
    try {
      ApiConfig config = ApiConfig.forTest(TestDatabases.fresh());
      HttpVerticle api =
          new HttpVerticle(
              config,
              new HttpVerticle.Shared(new RateLimiter(0), registry, new AtomicInteger()),
              1);
      vertx.deployVerticle(api).await();
      WebClient client = WebClient.create(vertx);
      assertThat(
              client
                  .get(api.actualPort(), "127.0.0.1", "/api/listings")
                  .send()
                  .await()
                  .statusCode())
          .isEqualTo(200);
      String body =
          client.get(api.actualPort(), "127.0.0.1", "/metrics").send().await().bodyAsString();
      assertThat(body)
          .contains("vertx_http_server_requests_total")
          .contains("vertx_http_server_response_time_seconds");
    } finally {
      vertx.close().await();
    }
  }
}
