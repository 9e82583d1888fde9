package dev.gputracker.shared.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.Env;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real Sentry SDK, sending to a local HTTP server that stands in for Sentry's ingestion
 * endpoint.
 */
class ErrorReportingTest {
  private Vertx vertx;
  private HttpServer server;
  private final List<String> envelopes = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              paths.add(req.path());
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
                              req.response().setStatusCode(200).end("{}");
                            }))
            .listen(0, "127.0.0.1")
            .await();
  }

  @AfterEach
  void stop() {
    ErrorReporting.close();
    vertx.close().await();
  }

  @Test
  @DisplayName(
      "with SENTRY_DSN set, failures and exceptions reach Sentry with service, release, environment and tags")
  void sendsEnvelopes() {
    String dsn = "http://public@127.0.0.1:" + server.actualPort() + "/42";
    boolean on =
        ErrorReporting.init(
            new Env(
                Map.of(
                    "SENTRY_DSN",
                    dsn,
                    "RAILWAY_ENVIRONMENT_NAME",
                    "staging",
                    "RAILWAY_GIT_COMMIT_SHA",
                    "abc123")),
            "worker");
    assertThat(on).isTrue();
    ErrorReporting.failure(
        "source amazon-de failed: 3 pages failed", Map.of("source", "amazon-de"));
    ErrorReporting.capture(
        new IllegalStateException("pool exhausted"), Map.of("route", "/api/listings"));
    ErrorReporting.flush(Duration.ofSeconds(10));

    assertThat(paths).allMatch(p -> p.equals("/api/42/envelope/"));
    String all = String.join("\n", envelopes);
    assertThat(all)
        .contains("source amazon-de failed: 3 pages failed")
        .contains("\"source\":\"amazon-de\"")
        .contains("pool exhausted")
        .contains("\"route\":\"/api/listings\"")
        .contains("\"service\":\"worker\"")
        .contains("\"environment\":\"staging\"")
        .contains("+abc123");
  }

  @Test
  @DisplayName("without SENTRY_DSN reporting is off and silent")
  void offWithoutDsn() {
    assertThat(ErrorReporting.init(new Env(Map.of()), "worker")).isFalse();
    ErrorReporting.failure("nothing", Map.of());
    ErrorReporting.capture(new RuntimeException("nothing"), Map.of());
    ErrorReporting.flush(Duration.ofSeconds(1));
    assertThat(ErrorReporting.enabled()).isFalse();
    assertThat(envelopes).isEmpty();
  }
}
