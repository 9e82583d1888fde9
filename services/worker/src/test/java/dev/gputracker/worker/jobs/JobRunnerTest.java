package dev.gputracker.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.gpu.DetectedGpu;
import dev.gputracker.worker.jobs.executors.CommandExecutor;
import dev.gputracker.worker.jobs.executors.NoopExecutor;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.jobs.queue.JobSpec;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JobRunnerTest {
  private Vertx vertx;
  private Pool pool;
  private JobQueue queue;
  private DatabaseUrl url;

  @BeforeEach
  void setUp() {
    url = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, url, "jobs-runner-" + UUID.randomUUID(), 8);
    queue = new JobQueue(pool);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private JobRunner runner(String owner, long pollMillis) {
    return new JobRunner(
        vertx,
        queue,
        new JobRunner.Settings(owner, 16, GpuSlots.none(), 30, pollMillis),
        List.of(new NoopExecutor(), new CommandExecutor(vertx, true, 4096)),
        url.connectOptions());
  }

  /** Resolves with the job's state once {@code done} accepts it (checked every 20 ms). */
  private String stateOnce(long id, Predicate<String> done) {
    Promise<String> state = Promise.promise();
    vertx.setPeriodic(
        20,
        t ->
            pool.query("SELECT state FROM jobs WHERE id = " + id)
                .execute()
                .onSuccess(
                    rows -> {
                      String s = rows.iterator().next().getString(0);
                      if (done.test(s)) {
                        vertx.cancelTimer(t);
                        state.tryComplete(s);
                      }
                    }));
    return state.future().await();
  }

  private long count(String sql) {
    return pool.query(sql).execute().await().iterator().next().getLong(0);
  }

  @Test
  @DisplayName("oneshot mode runs every queued job exactly once and records each transition")
  void oneshot() {
    for (int i = 0; i < 300; i++) {
      queue.submit(JobSpec.noop()).await();
    }
    queue.submit(JobSpec.command(List.of("sh", "-c", "exit 4"), 10)).await();
    assertThat(runner("one", 30_000).runQueuedNow().await()).isEqualTo(301);
    assertThat(count("SELECT count(*) FROM jobs WHERE state = 'succeeded'")).isEqualTo(300);
    assertThat(count("SELECT count(*) FROM jobs WHERE state = 'failed' AND exit_code = 4"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM job_events WHERE to_state = 'running'")).isEqualTo(301);
    assertThat(count("SELECT count(*) FROM job_events WHERE from_state = 'running'"))
        .isEqualTo(301);
  }

  @Test
  @DisplayName("a NOTIFY wakes an idle runner long before its 30 s poll interval")
  void notifyWakes() {
    JobRunner r = runner("idle", 30_000);
    vertx.deployVerticle(r).await();
    assertThat(r.phase()).isEqualTo(JobRunner.Phase.LISTENING);
    long submitted = System.nanoTime();
    long id = queue.submit(JobSpec.noop()).await();
    Promise<Void> done = Promise.promise();
    long timer =
        vertx.setPeriodic(
            20,
            t ->
                pool.query("SELECT state FROM jobs WHERE id = " + id)
                    .execute()
                    .onSuccess(
                        rows -> {
                          if ("succeeded".equals(rows.iterator().next().getString(0))) {
                            done.tryComplete();
                          }
                        }));
    done.future().await();
    vertx.cancelTimer(timer);
    long millis = (System.nanoTime() - submitted) / 1_000_000;
    assertThat(millis).isLessThan(5_000);
    vertx.undeploy(r.deploymentID()).await();
  }

  @Test
  @DisplayName(
      "undeployed, a runner claims nothing more, and the job it is running finishes and completes")
  void undeployStopsClaimingAndLetsTheJobFinish() throws Exception {
    Path release = Files.createTempFile("job-release", "");
    Files.delete(release);
    JobRunner r = runner("stopping", 30_000);
    vertx.deployVerticle(r).await();
    // The job runs until the test creates the release file: "in flight" is exact, not timed.
    long running =
        queue
            .submit(
                JobSpec.command(
                    List.of("sh", "-c", "while [ ! -e '" + release + "' ]; do sleep 0.02; done"),
                    60))
            .await();
    assertThat(stateOnce(running, "running"::equals)).isEqualTo("running");
    vertx.undeploy(r.deploymentID()).await();
    assertThat(r.phase()).isEqualTo(JobRunner.Phase.STOPPED);
    assertThat(r.running()).isEqualTo(1);
    long later = queue.submit(JobSpec.noop()).await(); // its NOTIFY reaches no runner now
    Files.createFile(release);
    r.idle(vertx, Duration.ofSeconds(30)).await();
    assertThat(r.running()).isZero();
    assertThat(stateOnce(running, s -> !s.equals("running"))).isEqualTo("succeeded");
    assertThat(count("SELECT count(*) FROM jobs WHERE id = " + later + " AND state = 'queued'"))
        .as("queued after the stop, never claimed")
        .isEqualTo(1);
    Files.deleteIfExists(release);
  }

  @Test
  @DisplayName("cancelling a running command stops it and records the job as cancelled")
  void cancelRunning() {
    JobRunner r = runner("canceller", 30_000);
    vertx.deployVerticle(r).await();
    long id = queue.submit(JobSpec.command(List.of("sleep", "60"), 120)).await();
    Promise<String> state = Promise.promise();
    vertx.setPeriodic(
        50,
        t ->
            pool.query("SELECT state FROM jobs WHERE id = " + id)
                .execute()
                .onSuccess(
                    rows -> {
                      String s = rows.iterator().next().getString(0);
                      if (s.equals("running")) {
                        queue.cancel(id);
                      } else if (!s.equals("queued")) {
                        vertx.cancelTimer(t);
                        state.tryComplete(s);
                      }
                    }));
    assertThat(state.future().await()).isEqualTo("cancelled");
    vertx.undeploy(r.deploymentID()).await();
  }

  @Test
  @DisplayName(
      "GPU jobs get specific free devices that fit their VRAM, never shared; a job that no longer fits"
          + " its batch goes back to the queue without spending an attempt")
  void gpuAssignment() {
    // This machine has no GPU: the two devices are described to the runner, which hands them out;
    // the jobs see them
    // by UUID. CUDA counts the 4090 first, the PCI bus the H100.
    String rtx = "GPU-4090aaaa-0000-4000-8000-000000000000";
    String h100 = "GPU-b100bbbb-0000-4000-8000-000000000001";
    GpuSlots gpus =
        new GpuSlots(
            List.of(
                new DetectedGpu(0, "GeForce RTX 4090", 24_564, "8.9", "550", "test", rtx, 1),
                new DetectedGpu(1, "H100 80GB", 81_559, "9.0", "550", "test", h100, 0)));
    List<String> echo = List.of("sh", "-c", "printf %s \"$CUDA_VISIBLE_DEVICES\"");
    long big = queue.submit(JobSpec.command(echo, 10).withGpus(1, 40.0)).await();
    long any = queue.submit(JobSpec.command(echo, 10).withGpus(1, null)).await();
    long both = queue.submit(JobSpec.command(echo, 10).withGpus(2, null)).await();
    long none = queue.submit(JobSpec.command(echo, 10)).await();
    JobRunner r =
        new JobRunner(
            vertx,
            queue,
            new JobRunner.Settings("gpu-box", 16, gpus, 30, 30_000),
            List.of(new CommandExecutor(vertx, true, 4096)));
    assertThat(r.runQueuedNow().await()).isEqualTo(4);
    assertThat(logTail(big)).isEqualTo(h100);
    assertThat(logTail(any)).isEqualTo(rtx);
    assertThat(logTail(both)).isEqualTo(rtx + "," + h100);
    assertThat(logTail(none)).isEmpty();
    assertThat(count("SELECT attempts FROM jobs WHERE id = " + both)).isEqualTo(1);
    assertThat(
            count(
                "SELECT count(*) FROM job_events WHERE job_id = "
                    + both
                    + " AND detail = 'handed back unstarted'"))
        .isEqualTo(1);
    assertThat(gpus.freeCount()).isEqualTo(2);
  }

  private String logTail(long id) {
    return pool.query("SELECT coalesce(log_tail, '') FROM jobs WHERE id = " + id)
        .execute()
        .await()
        .iterator()
        .next()
        .getString(0);
  }
}
