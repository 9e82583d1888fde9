package dev.gputracker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.testing.Sql;
import dev.gputracker.worker.testing.TestShop;
import dev.gputracker.worker.testing.WorkerChild;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The worker as operators run it: real child JVMs against a real PostgreSQL and a real HTTP shop,
 * stopped with real signals. The shop holds a page's response until the test releases it, so
 * "mid-run" is exact, not a sleep.
 */
class WorkerProcessTest {
  private static final int PER_PAGE = 6;

  private static Map<String, String> oneshot(Path sources) {
    return Map.of(
        "WORKER_MODE",
        "oneshot",
        "SOURCES_FILE",
        sources.toString(),
        "SHUTDOWN_GRACE_SECONDS",
        "20");
  }

  @Test
  @DisplayName(
      "oneshot exits 0 when every source succeeded and prints progress and a summary table")
  void oneshotSucceeds() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (TestShop shop = TestShop.start(3, PER_PAGE);
        WorkerChild worker =
            WorkerChild.start(db, oneshot(WorkerChild.sourcesFile("shop", shop.baseUrl(), 10)))) {
      assertThat(worker.waitFor(60)).as(worker.output()).isZero();
      assertThat(worker.output())
          .contains("[shop] page 1: 6 listings (6 new, 0 changed)")
          .contains("[shop] page 3:")
          .containsPattern("shop\\s+succeeded\\s+3\\s+18\\s+18");
      assertThat(Sql.count(db, "SELECT count(*) FROM listings")).isEqualTo(3 * PER_PAGE);
      // It registered (the default job capacity, 4; no GPU here) and marked itself stopped at exit.
      assertThat(
              Sql.single(
                  db,
                  "SELECT capacity || '|' || gpus::text || '|' || (stopped_at IS NOT NULL)"
                      + " FROM workers"))
          .isEqualTo("4|[]|true");
    }
  }

  @Test
  @DisplayName(
      "oneshot exits 2 when a source failed, and 1 with one clear line when the configuration is wrong")
  void exitCodes() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (TestShop shop = TestShop.start(2, PER_PAGE)) {
      shop.failPage(2);
      try (WorkerChild worker =
          WorkerChild.start(db, oneshot(WorkerChild.sourcesFile("shop", shop.baseUrl(), 10)))) {
        assertThat(worker.waitFor(60)).as(worker.output()).isEqualTo(2);
        assertThat(worker.output()).containsPattern("shop\\s+failed");
      }
    }
    try (WorkerChild worker = WorkerChild.start(db, Map.of("WORKER_MODE", "sometimes"))) {
      assertThat(worker.waitFor(60)).isEqualTo(1);
      assertThat(worker.output())
          .contains("error: WORKER_MODE must be one of daemon, oneshot, got 'sometimes'");
    }
    try (WorkerChild worker = WorkerChild.start(null, Map.of("DATABASE_URL", "mysql://x@y/z"))) {
      assertThat(worker.waitFor(60)).isEqualTo(1);
      assertThat(worker.output())
          .contains("error: DATABASE_URL must be a postgres:// or postgresql:// URL");
    }
  }

  @Test
  @DisplayName(
      "SIGTERM mid-run finishes the page in flight and its transaction, records the run interrupted, exits")
  void sigtermFinishesPageInFlight() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (TestShop shop = TestShop.start(6, PER_PAGE)) {
      shop.hold(3);
      try (WorkerChild worker =
          WorkerChild.start(db, oneshot(WorkerChild.sourcesFile("shop", shop.baseUrl(), 10)))) {
        shop.requested(3).get();
        worker.terminate();
        worker.awaitOutput("SIGTERM: stopping", 30);
        // The stop is under way; the page in flight is answered only now and must still be stored.
        shop.release(3);
        assertThat(worker.waitFor(60)).as("128 + SIGTERM's 15, as README says").isEqualTo(143);
        assertThat(Sql.count(db, "SELECT count(*) FROM listings"))
            .as(worker.output())
            .isEqualTo(3 * PER_PAGE);
        assertThat(Sql.single(db, "SELECT status FROM scrape_runs")).isEqualTo("interrupted");
        assertThat(Sql.single(db, "SELECT status FROM scrape_run_sources"))
            .isEqualTo("interrupted");
        assertThat(Sql.count(db, "SELECT pages FROM scrape_run_sources")).isEqualTo(3);
        assertThat(shop.requested(4)).isNotDone();
      }
    }
  }

  @Test
  @DisplayName(
      "kill -9 mid-run leaves whole pages only; the next run recovers, with no duplicate and no lost row")
  void killNineRecovers() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (TestShop shop = TestShop.start(5, PER_PAGE)) {
      Path sources = WorkerChild.sourcesFile("shop", shop.baseUrl(), 10);
      shop.hold(3);
      try (WorkerChild worker = WorkerChild.start(db, oneshot(sources))) {
        shop.requested(3).get();
        worker.kill();
        assertThat(worker.waitFor(30)).as("128 + SIGKILL's 9, as README says").isEqualTo(137);
      }
      long written = Sql.count(db, "SELECT count(*) FROM listings");
      assertThat(written % PER_PAGE).as("whole pages only").isZero();
      assertThat(written).isLessThanOrEqualTo(2 * PER_PAGE);
      assertThat(Sql.single(db, "SELECT status FROM scrape_runs")).isEqualTo("running");
      // The run record tells the truth about the killed run: the pages and listings it wrote, as it
      // wrote them.
      assertThat(
              Sql.single(
                  db,
                  "SELECT pages || '|' || listings_seen || '|' || listings_new || '|' || listings_read"
                      + " FROM scrape_run_sources"))
          .isEqualTo(written / PER_PAGE + "|" + written + "|" + written + "|" + written);
      shop.release(3);

      try (WorkerChild worker = WorkerChild.start(db, oneshot(sources))) {
        assertThat(worker.waitFor(60)).as(worker.output()).isZero();
      }
      assertThat(Sql.count(db, "SELECT count(*) FROM listings")).isEqualTo(5 * PER_PAGE);
      assertThat(Sql.count(db, "SELECT count(DISTINCT external_id) FROM listings"))
          .isEqualTo(5 * PER_PAGE);
      assertThat(Sql.count(db, "SELECT count(*) FROM price_history"))
          .as("one first sighting each, no duplicate")
          .isEqualTo(5 * PER_PAGE);
      assertThat(Sql.column(db, "SELECT status FROM scrape_runs ORDER BY id"))
          .containsExactly("interrupted", "succeeded");
      assertThat(
              Sql.single(
                  db,
                  "SELECT pages || '|' || listings_seen FROM scrape_run_sources WHERE status ="
                      + " 'interrupted'"))
          .as("recovery keeps what the killed run wrote")
          .isEqualTo(written / PER_PAGE + "|" + written);
      assertThat(Sql.column(db, "SELECT status FROM scrape_run_sources ORDER BY run_id"))
          .containsExactly("interrupted", "succeeded");
    }
  }

  @Test
  @DisplayName("two worker processes on one database never scrape the same source at the same time")
  void twoProcessesShareSources() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (TestShop shop = TestShop.start(3, PER_PAGE)) {
      Path sources = WorkerChild.sourcesFile("shop", shop.baseUrl(), 10);
      shop.hold(2);
      try (WorkerChild first = WorkerChild.start(db, oneshot(sources))) {
        shop.requested(2).get();
        try (WorkerChild second = WorkerChild.start(db, oneshot(sources))) {
          assertThat(second.waitFor(60)).as(second.output()).isZero();
          assertThat(second.output()).containsPattern("shop\\s+skipped");
        }
        shop.release(2);
        assertThat(first.waitFor(60)).as(first.output()).isZero();
      }
      assertThat(Sql.column(db, "SELECT status FROM scrape_run_sources ORDER BY status"))
          .containsExactly("skipped", "succeeded");
      assertThat(Sql.column(db, "SELECT status FROM scrape_runs ORDER BY status"))
          .as("a run in which every source was skipped is skipped, not succeeded")
          .containsExactly("skipped", "succeeded");
      assertThat(Sql.count(db, "SELECT count(*) FROM listings")).isEqualTo(3 * PER_PAGE);
      assertThat(shop.requestCount()).as("robots.txt and three pages, once").isLessThanOrEqualTo(4);
    }
  }

  @Test
  @DisplayName(
      "daemon mode runs at once and again every interval, registered; SIGTERM while idle exits promptly, marked stopped")
  void daemonRunsOnSchedule() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (TestShop shop = TestShop.start(1, PER_PAGE)) {
      Map<String, String> env =
          Map.of(
              "WORKER_MODE",
              "daemon",
              "SCRAPE_INTERVAL_SECONDS",
              "10",
              "SOURCES_FILE",
              WorkerChild.sourcesFile("shop", shop.baseUrl(), 10).toString());
      try (WorkerChild worker = WorkerChild.start(db, env)) {
        worker.awaitOutput("Run 1 succeeded", 60);
        worker.awaitOutput("Run 2 succeeded", 60);
        assertThat(Sql.count(db, "SELECT count(*) FROM workers WHERE stopped_at IS NULL"))
            .isEqualTo(1);
        worker.terminate();
        assertThat(worker.waitFor(30)).as(worker.output()).isEqualTo(143);
      }
      assertThat(Sql.column(db, "SELECT status FROM scrape_runs ORDER BY id"))
          .startsWith("succeeded", "succeeded")
          .doesNotContain("running");
      assertThat(Sql.count(db, "SELECT count(*) FROM workers WHERE stopped_at IS NOT NULL"))
          .as("SIGTERM marks it stopped")
          .isEqualTo(1);
    }
  }
}
