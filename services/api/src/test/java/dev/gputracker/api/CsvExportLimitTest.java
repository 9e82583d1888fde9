package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.listings.ListingsHandler;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CSV exports are bounded per API process: each holds up to 10,000 rows in memory, and 32 at once
 * ran the 64 MB heap out of memory. Real PostgreSQL; a table lock holds the first exports in
 * flight, so the test knows exactly how many are running.
 */
class CsvExportLimitTest {

  @Test
  @Timeout(120)
  @DisplayName(
      "a CSV export beyond the process's limit is a 503 problem with Retry-After; the running ones finish, and then the next runs")
  void exportsAreBounded() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (ApiServer server = ApiServer.start(db);
        Connection lock = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      lock.setAutoCommit(false);
      try (Statement st = lock.createStatement()) {
        st.execute("LOCK TABLE listings IN ACCESS EXCLUSIVE MODE");
      }
      Future<HttpResponse<Buffer>> first = export(server, 1);
      Future<HttpResponse<Buffer>> second = export(server, 2);
      awaitExports(ListingsHandler.CSV_EXPORTS_AT_ONCE);

      HttpResponse<Buffer> refused = export(server, 3).await();
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.getHeader("retry-after")).isNotBlank();
      assertThat(refused.getHeader("content-type")).startsWith("application/problem+json");
      assertThat(new JsonObject(refused.bodyAsString()).getString("title"))
          .isEqualTo("Too many exports at once");

      lock.commit(); // the held exports go on
      assertThat(first.await().statusCode()).isEqualTo(200);
      assertThat(second.await().statusCode()).isEqualTo(200);
      assertThat(first.await().bodyAsString()).startsWith("id,source,external_id");
      awaitExports(0);
      assertThat(export(server, 4).await().statusCode()).as("slots come back").isEqualTo(200);
    }
  }

  private static Future<HttpResponse<Buffer>> export(ApiServer server, int n) {
    // Different searches, so no cache or coalescing answers one from another.
    return server
        .client()
        .get(server.port(), "127.0.0.1", "/api/listings?limit=10000&min_price=" + n)
        .putHeader("accept", "text/csv")
        .send();
  }

  /** Waits (bounded) until exactly {@code n} exports hold a slot. */
  private static void awaitExports(int n) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (ListingsHandler.exportsInProgress() != n) {
      assertThat(Instant.now()).as("%d exports in progress", n).isBefore(deadline);
      LockSupport.parkNanos(1_000_000); // polls a condition, bounded by the deadline
    }
  }
}
