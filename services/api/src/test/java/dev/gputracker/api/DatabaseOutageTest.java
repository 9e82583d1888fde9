package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.server.HttpVerticle;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops and starts again under a running API: requests fail fast with 503, then recover
 * by themselves.
 */
class DatabaseOutageTest {

  @Test
  @DisplayName(
      "while the database is down the API answers 503 quickly; after it returns the API recovers unrestarted")
  void survivesRestart(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EmbeddedDatabase postgres = EmbeddedDatabase.start(dir, port);
    DatabaseUrl db = postgres.url("outage");
    Migrator.migrate(db);
    Vertx vertx = Vertx.vertx();
    try {
      HttpVerticle api = new HttpVerticle(ApiConfig.forTest(db));
      vertx.deployVerticle(api).await();
      WebClient client = WebClient.create(vertx);
      assertThat(get(client, api, "/api/listings").statusCode()).isEqualTo(200);

      postgres.close();
      long start = System.nanoTime();
      HttpResponse<Buffer> down = get(client, api, "/api/listings");
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.getHeader("content-type")).isEqualTo("application/problem+json");
      assertThat(ms).as("fails fast, well before the request timeout").isLessThan(8_000);
      assertThat(get(client, api, "/ready").statusCode()).isEqualTo(503);
      assertThat(get(client, api, "/health").statusCode())
          .as("liveness never asks the database")
          .isEqualTo(200);

      postgres = EmbeddedDatabase.start(dir, port);
      assertThat(get(client, api, "/ready").statusCode()).isEqualTo(200);
      assertThat(get(client, api, "/api/listings").statusCode()).isEqualTo(200);
    } finally {
      vertx.close().await();
      postgres.close();
    }
  }

  private static HttpResponse<Buffer> get(WebClient client, HttpVerticle api, String path) {
    return client.get(api.actualPort(), "127.0.0.1", path).send().await();
  }
}
