package dev.gputracker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.testing.Sql;
import dev.gputracker.worker.testing.TestShop;
import dev.gputracker.worker.testing.WorkerChild;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The worker process runs compute jobs besides scraping: real child JVMs against a real PostgreSQL.
 */
class WorkerJobsTest {
  private static final String SUBMIT =
      "WITH j AS (INSERT INTO jobs (kind, command) VALUES ('%s', '%s') RETURNING id)"
          + " SELECT pg_notify('jobs_queued', id::text) FROM j";

  @Test
  @DisplayName(
      "a oneshot run runs the jobs queued when its scrape ends, registered with its job capacity")
  void oneshotRunsQueuedJobs() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    Sql.execute(db, SUBMIT.formatted("noop", "{}"));
    Sql.execute(db, SUBMIT.formatted("command", "{sh,-c,\"echo from-a-job\"}"));
    try (TestShop shop = TestShop.start(1, 3);
        WorkerChild worker =
            WorkerChild.start(
                db,
                Map.of(
                    "WORKER_MODE",
                    "oneshot",
                    "JOB_CAPACITY",
                    "3",
                    "ALLOW_NATIVE_JOBS",
                    "true",
                    "DOCKER_HOST",
                    "unix:///nonexistent/docker.sock",
                    "SOURCES_FILE",
                    WorkerChild.sourcesFile("shop", shop.baseUrl(), 10).toString()))) {
      assertThat(worker.waitFor(60)).as(worker.output()).isZero();
      assertThat(worker.output())
          .contains("Jobs: 2 ran")
          .contains(
              "container jobs off: no container engine at unix:///nonexistent/docker.sock: no such socket")
          .as("a missing socket is not asked: no HTTP client retries, no warning")
          .doesNotContain("RetryExec")
          .doesNotContain("WARN  d.g.w.j.e.c.ContainerExecutor");
    }
    assertThat(Sql.column(db, "SELECT state FROM jobs ORDER BY id"))
        .containsExactly("succeeded", "succeeded");
    assertThat(Sql.single(db, "SELECT log_tail FROM jobs WHERE kind = 'command'"))
        .isEqualTo("from-a-job\n");
    assertThat(Sql.single(db, "SELECT capacity || '|' || (stopped_at IS NOT NULL) FROM workers"))
        .isEqualTo("3|true");
  }

  @Test
  @DisplayName(
      "a daemon runs a job as soon as it is queued, between scrapes; JOB_CAPACITY=0 claims none")
  void daemonRunsJobs() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (TestShop shop = TestShop.start(1, 3)) {
      String sources = WorkerChild.sourcesFile("shop", shop.baseUrl(), 10).toString();
      try (WorkerChild idle =
          WorkerChild.start(
              db,
              Map.of(
                  "WORKER_MODE",
                  "daemon",
                  "JOB_CAPACITY",
                  "0",
                  "SOURCES_FILE",
                  sources,
                  "SCRAPE_INTERVAL_SECONDS",
                  "3600"))) {
        idle.awaitOutput("Run 1 succeeded", 60);
        try (WorkerChild worker =
            WorkerChild.start(
                db,
                Map.of(
                    "WORKER_MODE",
                    "daemon",
                    "JOB_CAPACITY",
                    "2",
                    "SOURCES_FILE",
                    sources,
                    "SCRAPE_INTERVAL_SECONDS",
                    "3600",
                    "WORKER_ID",
                    "job-daemon"))) {
          worker.awaitOutput("Run ", 60);
          Sql.execute(db, SUBMIT.formatted("noop", "{}"));
          long deadline = System.nanoTime() + 30_000_000_000L;
          while (Sql.count(db, "SELECT count(*) FROM jobs WHERE state = 'succeeded'") == 0
              && System.nanoTime() < deadline) {
            Thread.sleep(
                50); // polling a row the other process writes; nothing in this JVM to wait on
          }
          assertThat(
                  Sql.single(
                      db,
                      "SELECT state || '|' || worker FROM jobs JOIN job_events e ON e.job_id = jobs.id"
                          + " AND e.to_state = 'running'"))
              .as(worker.output())
              .isEqualTo("succeeded|job-daemon");
          worker.terminate();
          assertThat(worker.waitFor(30)).isEqualTo(143);
        }
        idle.terminate();
        idle.waitFor(30);
      }
    }
  }
}
