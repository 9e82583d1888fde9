package dev.gputracker.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.jobs.cli.JobsCommand;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.jobs.queue.JobSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runners as real child JVMs: crash recovery after kill -9 and exactly-once completion across
 * processes.
 */
class JobRunnerProcessTest {
  private Vertx vertx;
  private Pool pool;
  private JobQueue queue;
  private String databaseUrl;
  private final List<Process> children = new ArrayList<>();

  @BeforeEach
  void setUp() {
    DatabaseUrl url = TestDatabases.fresh();
    databaseUrl =
        "postgresql://"
            + url.user()
            + ":"
            + url.password()
            + "@"
            + url.host()
            + ":"
            + url.port()
            + "/"
            + url.database();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, url, "jobs-proc-" + UUID.randomUUID(), 4);
    queue = new JobQueue(pool);
  }

  @AfterEach
  void tearDown() {
    children.forEach(
        p -> {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        });
    vertx.close().await();
  }

  private Process runner(String id, int leaseSeconds) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                JobsCommand.class.getName(),
                "run",
                "--capacity",
                "64",
                "--lease",
                String.valueOf(leaseSeconds),
                "--poll-ms",
                "500")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("DATABASE_URL", databaseUrl);
    pb.environment().put("WORKER_ID", id);
    pb.environment().put("ALLOW_NATIVE_JOBS", "true");
    Process p = pb.start();
    children.add(p);
    return p;
  }

  private long count(String sql) {
    return pool.query(sql).execute().await().iterator().next().getLong(0);
  }

  /** Polls the database until {@code sql} returns {@code expected}, failing after the timeout. */
  private void waitFor(String sql, long expected, long timeoutMillis) {
    Promise<Void> done = Promise.promise();
    long timer =
        vertx.setPeriodic(
            100,
            t ->
                pool.query(sql)
                    .execute()
                    .onSuccess(
                        rows -> {
                          if (rows.iterator().next().getLong(0) == expected) {
                            done.tryComplete();
                          }
                        }));
    vertx.setTimer(
        timeoutMillis, t -> done.tryFail("timed out waiting for " + sql + " = " + expected));
    try {
      done.future().await();
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  @Test
  @DisplayName(
      "after a runner is killed with -9 mid-job, its lease expires and a second runner completes the job")
  void crashRecovery(@TempDir Path dir) throws Exception {
    Path first = dir.resolve("first");
    Path pid = dir.resolve("pid");
    // The first attempt marks itself and waits; a retry sees the mark and succeeds.
    long id =
        queue
            .submit(
                JobSpec.command(
                    List.of(
                        "sh",
                        "-c",
                        "if [ -e "
                            + first
                            + " ]; then echo retry; exit 0; fi;"
                            + " touch "
                            + first
                            + "; echo $$ > "
                            + pid
                            + "; exec sleep 600"),
                    900))
            .await();
    Process one = runner("runner-1", 2);
    waitFor(
        "SELECT count(*) FROM jobs WHERE state = 'running' AND lease_owner = 'runner-1'",
        1,
        60_000);
    waitFor("SELECT count(*) FROM jobs WHERE id = " + id + " AND attempts = 1", 1, 1_000);
    // `jobs run` registered itself with the runner's capacity before claiming.
    waitFor(
        "SELECT count(*) FROM workers WHERE id = 'runner-1' AND capacity = 64 AND stopped_at IS NULL",
        1,
        1_000);
    // The job is claimed before its process starts: wait (bounded) until the process has written
    // its pid, so the
    // kill lands mid-job and not between claim and start.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(pid) || Files.readString(pid).isBlank()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the job's process never started");
      }
      Thread.onSpinWait();
    }
    one.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    // A crashed host takes its job's processes with it; kill the orphan so nothing runs twice at
    // once.
    ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
        .ifPresent(ProcessHandle::destroyForcibly);
    Process two = runner("runner-2", 2);
    waitFor("SELECT count(*) FROM jobs WHERE state = 'succeeded'", 1, 60_000);
    // The killed runner's row stays as it was (readers see it gone once its heartbeat ages);
    // SIGTERM marks stopped.
    assertThat(count("SELECT count(*) FROM workers WHERE id = 'runner-1' AND stopped_at IS NULL"))
        .isEqualTo(1);
    two.destroy();
    assertThat(two.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(
            count("SELECT count(*) FROM workers WHERE id = 'runner-2' AND stopped_at IS NOT NULL"))
        .isEqualTo(1);
    JsonObject job = queue.show(id, 100, 100).await();
    assertThat(job.getInteger("attempts")).isEqualTo(2);
    assertThat(job.getString("log_tail")).isEqualTo("retry\n");
    List<String> events = new ArrayList<>();
    job.getJsonArray("history")
        .forEach(
            e -> {
              JsonObject ev = (JsonObject) e;
              events.add(
                  ev.getString("from") + ">" + ev.getString("to") + "@" + ev.getString("worker"));
            });
    assertThat(events)
        .containsExactly(
            "null>queued@null",
            "queued>running@runner-1",
            "running>queued@runner-1",
            "queued>running@runner-2",
            "running>succeeded@runner-2");
  }

  @Test
  @DisplayName("three runner processes complete 2,000 queued noop jobs each exactly once")
  void threeRunners() throws Exception {
    List<Future<Long>> submits = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      submits.add(queue.submit(JobSpec.noop()));
    }
    Future.all(submits).await();
    runner("r1", 30);
    runner("r2", 30);
    runner("r3", 30);
    waitFor("SELECT count(*) FROM jobs WHERE state = 'succeeded'", 2_000, 120_000);
    assertThat(count("SELECT count(*) FROM jobs WHERE attempts <> 1")).isZero();
    assertThat(count("SELECT count(*) FROM job_events WHERE to_state = 'running'"))
        .isEqualTo(2_000);
    assertThat(count("SELECT count(*) FROM job_events WHERE to_state = 'succeeded'"))
        .isEqualTo(2_000);
    assertThat(
            count(
                "SELECT count(*) FROM (SELECT job_id FROM job_events GROUP BY job_id HAVING count(*) <> 3) x"))
        .isZero();
  }
}
