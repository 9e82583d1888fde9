package dev.gputracker.worker.jobs.executors;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.config.ComponentSettings;
import dev.gputracker.worker.jobs.GpuSlots;
import dev.gputracker.worker.jobs.JobRunner;
import dev.gputracker.worker.jobs.executors.container.ContainerExecutor;
import dev.gputracker.worker.jobs.executors.container.ContainerRequest;
import dev.gputracker.worker.jobs.executors.container.ContainerSettings;
import dev.gputracker.worker.jobs.executors.container.DockerEngine;
import dev.gputracker.worker.jobs.queue.JobLimits;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.jobs.queue.JobSpec;
import dev.gputracker.worker.testing.PodmanEngine;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The container executor against a real engine (podman's Docker API), through the real queue and
 * runner.
 */
class ContainerExecutorTest {
  private static PodmanEngine podman;
  private Vertx vertx;
  private Pool pool;
  private JobQueue queue;
  private String worker;
  private ContainerExecutor executor;

  @BeforeAll
  static void engine() throws Exception {
    podman = PodmanEngine.start();
  }

  @AfterAll
  static void stopEngine() throws Exception {
    if (podman != null) {
      podman.close();
    }
  }

  @BeforeEach
  void setUp() {
    DatabaseUrl url = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, url, "containers-" + UUID.randomUUID(), 4);
    queue = new JobQueue(pool);
    worker = "container-test-" + UUID.randomUUID();
    executor = new ContainerExecutor(vertx, settings(podman.host()), worker);
  }

  @AfterEach
  void tearDown() {
    executor.close().await();
    vertx.close().await();
  }

  private static ContainerSettings settings(URI host) {
    return ComponentSettings.containers(
        new Env(Map.of("DOCKER_HOST", host.toString(), "CONTAINER_PULL", "never")));
  }

  private JobRunner runner() {
    return new JobRunner(
        vertx,
        queue,
        new JobRunner.Settings(worker, 8, GpuSlots.none(), 30, 30_000),
        List.of(executor));
  }

  private Row job(long id) {
    return pool.preparedQuery(
            "SELECT state, exit_code, log_tail, error, result FROM jobs WHERE id = $1")
        .execute(Tuple.of(id))
        .await()
        .iterator()
        .next();
  }

  /**
   * This test's containers of job {@code jobId}: job ids restart in each test's database, and other
   * builds on the same machine share the engine's storage, so the worker label tells this test's
   * containers apart.
   */
  private List<Container> containersOf(long jobId) {
    try (DockerEngine e = DockerEngine.connect(podman.host())) {
      return e.client()
          .listContainersCmd()
          .withShowAll(true)
          .withLabelFilter(
              Map.of(
                  ContainerRequest.LABEL_JOB,
                  Long.toString(jobId),
                  ContainerRequest.LABEL_WORKER,
                  worker))
          .exec();
    }
  }

  private long submit(JobSpec spec) {
    return queue.submit(spec).await();
  }

  private static JobSpec sh(String script, int timeout) {
    return JobSpec.container(PodmanEngine.IMAGE, List.of("sh", "-c", script), timeout);
  }

  @Test
  @DisplayName(
      "exit codes and output (stdout and stderr) come back, the job's environment is set, and every"
          + " container is removed")
  void exitCodesAndLogs() {
    executor.start(queue::liveLeases).await();
    assertThat(executor.enabled()).as(executor.unavailableReason()).isTrue();
    long ok =
        submit(
            new JobSpec(
                "container",
                PodmanEngine.IMAGE,
                List.of("sh", "-c", "echo hello $GREETING"),
                new JsonObject().put("GREETING", "world"),
                0,
                null,
                60,
                0,
                1,
                null));
    long bad = submit(sh("echo to-out; echo to-err >&2; exit 3", 60));
    assertThat(runner().runQueuedNow().await()).isEqualTo(2);
    Row good = job(ok);
    assertThat(good.getString("state")).isEqualTo("succeeded");
    assertThat(good.getInteger("exit_code")).isZero();
    assertThat(good.getString("log_tail")).isEqualTo("hello world\n");
    assertThat(((JsonObject) good.getValue("result")).getString("image"))
        .isEqualTo(PodmanEngine.IMAGE);
    Row failed = job(bad);
    assertThat(failed.getString("state")).isEqualTo("failed");
    assertThat(failed.getInteger("exit_code")).isEqualTo(3);
    assertThat(failed.getString("log_tail")).contains("to-out\n").contains("to-err\n");
    assertThat(failed.getString("error")).isEqualTo("exit code 3");
    assertThat(containersOf(ok)).isEmpty();
    assertThat(containersOf(bad)).isEmpty();
  }

  @Test
  @DisplayName(
      "a job past its timeout is killed, recorded as timed_out with its output so far, and removed")
  void timeoutKills() {
    executor.start(queue::liveLeases).await();
    long id = submit(sh("echo started; sleep 600", 2));
    long start = System.nanoTime();
    runner().runQueuedNow().await();
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    Row r = job(id);
    assertThat(r.getString("state")).isEqualTo("timed_out");
    assertThat(r.getString("log_tail")).isEqualTo("started\n");
    assertThat(r.getString("error")).contains("timed out after 2 s");
    assertThat(seconds).isLessThan(60);
    assertThat(containersOf(id)).isEmpty();
  }

  @Test
  @DisplayName(
      "the memory limit holds: a job that allocates past it is killed and the reason names the limit")
  void memoryLimit() {
    executor.start(queue::liveLeases).await();
    long id =
        submit(
            JobSpec.container(
                    PodmanEngine.IMAGE,
                    List.of("dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"),
                    60)
                .withLimits(new JobLimits(false, 16, null)));
    long fits =
        submit(
            JobSpec.container(
                    PodmanEngine.IMAGE,
                    List.of("dd", "if=/dev/zero", "of=/dev/null", "bs=1M", "count=1"),
                    60)
                .withLimits(new JobLimits(false, 16, null)));
    runner().runQueuedNow().await();
    Row r = job(id);
    assertThat(r.getString("state")).isEqualTo("failed");
    assertThat(r.getInteger("exit_code")).isEqualTo(137);
    assertThat(r.getString("error")).contains("16 MiB");
    assertThat(job(fits).getString("state")).isEqualTo("succeeded");
  }

  @Test
  @DisplayName("no network unless the job asks for one; the pids limit is applied")
  void networkAndPids() {
    executor.start(queue::liveLeases).await();
    String script =
        "ls /sys/class/net | tr '\\n' ' '; cat /sys/fs/cgroup/pids.max 2>/dev/null"
            + " || cat /sys/fs/cgroup/pids/pids.max";
    long isolated = submit(sh(script, 60));
    long networked = submit(sh(script, 60).withLimits(new JobLimits(true, null, null)));
    runner().runQueuedNow().await();
    assertThat(job(isolated).getString("log_tail")).isEqualTo("lo 1024\n");
    assertThat(job(networked).getString("log_tail"))
        .contains("eth0")
        .contains("lo")
        .endsWith(" 1024\n");
  }

  @Test
  @DisplayName("cancelling a running container job kills it and records it as cancelled")
  void cancel() throws Exception {
    executor.start(queue::liveLeases).await();
    long id = submit(sh("echo up; sleep 600", 600));
    var run = runner().runQueuedNow();
    // The cancel arrives as the runner's heartbeat would deliver it, once the container exists.
    while (containersOf(id).isEmpty()) {
      Thread.sleep(
          50); // polling the engine for a container that is being created; nothing to wait on
    }
    executor.cancel(id);
    run.await();
    assertThat(job(id).getString("state")).isEqualTo("cancelled");
    assertThat(containersOf(id)).isEmpty();
  }

  @Test
  @DisplayName(
      "a missing image with CONTAINER_PULL=never fails with the reason, and nothing is left behind")
  void missingImage() {
    executor.start(queue::liveLeases).await();
    long id = submit(JobSpec.container("localhost/no-such-image:1", List.of(), 60));
    runner().runQueuedNow().await();
    Row r = job(id);
    assertThat(r.getString("state")).isEqualTo("failed");
    assertThat(r.getString("error"))
        .contains("localhost/no-such-image:1")
        .contains("CONTAINER_PULL=never");
    assertThat(containersOf(id)).isEmpty();
  }

  @Test
  @DisplayName(
      "at start-up the worker removes its own leftovers and containers whose job has no live lease,"
          + " and keeps those of jobs another worker is running")
  void orphansCleaned() throws Exception {
    long leased = submit(JobSpec.noop());
    queue.claim("other-worker", 1, new double[0], Set.of("noop"), 300).await();
    long finished = submit(JobSpec.noop());
    String mine = create(worker, 999_999);
    String stale = create("gone-worker", finished);
    String alive = create("other-worker", leased);
    executor.start(queue::liveLeases).await();
    String all = podman.podman("ps", "-a", "--format", "{{.ID}}", "--no-trunc");
    assertThat(all).doesNotContain(mine).doesNotContain(stale).contains(alive);
    podman.podman("rm", "-f", alive);
  }

  @Test
  @DisplayName(
      "without an engine container jobs are off with the reason, and the runner leaves them queued")
  void noEngine() {
    ContainerExecutor none =
        new ContainerExecutor(
            vertx, settings(URI.create("unix:///nonexistent/docker.sock")), worker);
    none.start(queue::liveLeases).await();
    assertThat(none.enabled()).isFalse();
    assertThat(none.unavailableReason()).contains("unix:///nonexistent/docker.sock");
    long id = submit(sh("true", 60));
    JobRunner r =
        new JobRunner(
            vertx,
            queue,
            new JobRunner.Settings(worker, 8, GpuSlots.none(), 30, 30_000),
            List.of(none));
    assertThat(r.runQueuedNow().await()).isZero();
    assertThat(job(id).getString("state")).isEqualTo("queued");
    none.close().await();
  }

  /** A stopped container labelled as a job's, as a crashed worker would leave it. */
  private static String create(String owner, long jobId) {
    try (DockerEngine e = DockerEngine.connect(podman.host())) {
      return e.client()
          .createContainerCmd(PodmanEngine.IMAGE)
          .withCmd("true")
          .withLabels(
              Map.of(
                  ContainerRequest.LABEL_JOB,
                  Long.toString(jobId),
                  ContainerRequest.LABEL_WORKER,
                  owner))
          .exec()
          .getId();
    }
  }
}
