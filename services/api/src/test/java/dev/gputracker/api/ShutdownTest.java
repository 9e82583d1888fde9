package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM stops the API within its grace period even while a request's query is stuck in the
 * database.
 */
class ShutdownTest {

  @Test
  @DisplayName(
      "SIGTERM with a query stuck behind a session in pg_sleep: exit 143 within the grace, the request a 503")
  void stuckQuery() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    int graceSeconds = 4;
    try (ApiChild api =
            ApiChild.start(
                db,
                Map.of(
                    "SHUTDOWN_GRACE_SECONDS",
                    Integer.toString(graceSeconds),
                    "DB_STATEMENT_TIMEOUT_MS",
                    "120000",
                    "HTTP_REQUEST_TIMEOUT_MS",
                    "120000"));
        Connection holder = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Connection observer = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      holder.setAutoCommit(false);
      int holderPid;
      try (Statement st = holder.createStatement()) {
        st.execute("LOCK TABLE scrape_runs IN ACCESS EXCLUSIVE MODE");
        try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
          rs.next();
          holderPid = rs.getInt(1);
        }
      }
      // The lock holder sleeps in the database; the API's query on scrape_runs waits behind it.
      CompletableFuture<Void> sleeper =
          CompletableFuture.runAsync(
              () -> {
                try (Statement st = holder.createStatement()) {
                  st.execute("SELECT pg_sleep(120)");
                } catch (SQLException e) {
                  // Ended by the test closing the connection.
                }
              });
      CompletableFuture<RawHttp.Response> stuck =
          CompletableFuture.supplyAsync(
              () -> {
                try (RawHttp http = new RawHttp(api.port(), 60_000)) {
                  return http.get("/api/runs");
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      awaitApiWaitingOnLock(observer);

      long start = System.nanoTime();
      api.terminate();
      int code = api.waitFor(graceSeconds * 1000L + 5_000);
      long ms = (System.nanoTime() - start) / 1_000_000;

      LoggerFactory.getLogger(ShutdownTest.class)
          .info("SIGTERM to exit: {} ms (grace {} s), exit code {}", ms, graceSeconds, code);
      assertThat(code).as("exit code after SIGTERM").isEqualTo(143);
      assertThat(ms)
          .as("exit within the grace period (%d s)", graceSeconds)
          .isLessThan(graceSeconds * 1000L + 1_000);
      RawHttp.Response answer = stuck.get();
      assertThat(answer.status()).as("the stuck request is answered, not dropped").isEqualTo(503);
      assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
      assertThat(answer.header("retry-after")).isNotNull();
      assertThat(api.output()).contains("API stopped");
      // End the sleeping transaction in the server (closing the client would leave it running for
      // minutes, and an
      // open transaction holds back the outbox readers of other tests on the same server).
      try (Statement st = observer.createStatement()) {
        st.execute("SELECT pg_terminate_backend(" + holderPid + ")");
      }
      sleeper.handle((v, e) -> null).get();
    }
  }

  @Test
  @DisplayName(
      "SIGTERM with a notice: /ready answers 503 draining at once while listings still serve, then exit 143")
  void readinessNotice() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    int graceSeconds = 8;
    int noticeSeconds = 4;
    try (ApiChild api =
        ApiChild.start(
            db,
            Map.of(
                "SHUTDOWN_GRACE_SECONDS",
                Integer.toString(graceSeconds),
                "SHUTDOWN_NOTICE_SECONDS",
                Integer.toString(noticeSeconds)))) {
      assertThat(get(api, "/ready").status()).isEqualTo(200);

      long start = System.nanoTime();
      api.terminate();
      RawHttp.Response ready = awaitDraining(api, start);
      long drainingAfterMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(new String(ready.body(), StandardCharsets.UTF_8))
          .contains("\"status\":\"draining\"");
      RawHttp.Response listings = get(api, "/api/listings");
      long listingsAfterMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(listingsAfterMs).as("asked within the notice").isLessThan(noticeSeconds * 1000L);
      assertThat(listings.status()).as("other routes serve during the notice").isEqualTo(200);
      assertThat(get(api, "/health").status()).as("still alive during the notice").isEqualTo(200);

      int code = api.waitFor(graceSeconds * 1000L + 5_000);
      long ms = (System.nanoTime() - start) / 1_000_000;
      LoggerFactory.getLogger(ShutdownTest.class)
          .info(
              "/ready draining {} ms after SIGTERM; exit after {} ms"
                  + " (notice {} s, grace {} s), exit code {}",
              drainingAfterMs,
              ms,
              noticeSeconds,
              graceSeconds,
              code);
      assertThat(code).as("exit code after SIGTERM").isEqualTo(143);
      assertThat(ms)
          .as("the notice is served in full")
          .isGreaterThanOrEqualTo(noticeSeconds * 1000L);
      assertThat(ms).as("exit within the grace period").isLessThan(graceSeconds * 1000L + 1_000);
      assertThat(api.output()).contains("/ready answers 503").contains("API stopped");
    }
  }

  private static RawHttp.Response get(ApiChild api, String path) throws IOException {
    try (RawHttp http = new RawHttp(api.port(), 10_000)) {
      return http.get(path);
    }
  }

  /**
   * Asks /ready on a new connection every 20 ms (at most 3 s after SIGTERM) until it answers 503.
   */
  private static RawHttp.Response awaitDraining(ApiChild api, long sigtermNanos) throws Exception {
    while (System.nanoTime() - sigtermNanos < 3_000_000_000L) {
      RawHttp.Response r = get(api, "/ready");
      if (r.status() == 503) {
        return r;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("/ready never turned 503 after SIGTERM");
  }

  /** Polls pg_stat_activity (every 20 ms, at most 30 s) until the API's query waits on a lock. */
  private static void awaitApiWaitingOnLock(Connection observer) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    try (Statement st = observer.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                    + " 'gpu-tracker-api' AND wait_event_type = 'Lock' AND datname = current_database()")) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        Thread.sleep(20);
      }
    }
    throw new AssertionError("the API's query never waited on the lock");
  }
}
