package dev.gputracker.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.jobs.queue.ClaimedJob;
import dev.gputracker.worker.jobs.queue.JobOutcome;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.jobs.queue.JobSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JobQueueTest {
  private static final Set<String> ALL = Set.of("noop", "command");
  private Vertx vertx;
  private Pool pool;
  private JobQueue queue;

  @BeforeEach
  void setUp() {
    DatabaseUrl url = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, url, "jobs-test-" + UUID.randomUUID(), 8);
    queue = new JobQueue(pool);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private long count(String sql) {
    return pool.query(sql).execute().await().iterator().next().getLong(0);
  }

  @Test
  @DisplayName(
      "submitting with the same idempotency key returns the same job and adds no second row")
  void idempotentSubmit() {
    long a = queue.submit(JobSpec.noop().withKey("k1")).await();
    long b = queue.submit(JobSpec.noop().withKey("k1")).await();
    long c = queue.submit(JobSpec.noop()).await();
    assertThat(b).isEqualTo(a);
    assertThat(c).isNotEqualTo(a);
    assertThat(count("SELECT count(*) FROM jobs")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM job_events WHERE to_state = 'queued'")).isEqualTo(2);
  }

  @Test
  @DisplayName("invalid jobs are rejected with a message naming the field")
  void validation() {
    assertThatThrownBy(() -> queue.submit(JobSpec.command(List.of(), 10)).await())
        .hasMessageContaining("argv");
    assertThatThrownBy(() -> queue.submit(JobSpec.command(List.of("true"), 0)).await())
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> queue.submit(JobSpec.noop().withGpus(-1, null)).await())
        .hasMessageContaining("gpus");
  }

  @Test
  @DisplayName("two concurrent claimers never get the same job")
  void skipLocked() {
    for (int i = 0; i < 400; i++) {
      queue.submit(JobSpec.noop()).await();
    }
    List<Long> a = new ArrayList<>();
    List<Long> b = new ArrayList<>();
    while (true) {
      var fa = queue.claim("a", 25, new double[0], ALL, 60);
      var fb = queue.claim("b", 25, new double[0], ALL, 60);
      Future.join(fa, fb).await();
      fa.result().forEach(j -> a.add(j.id()));
      fb.result().forEach(j -> b.add(j.id()));
      if (fa.result().isEmpty() && fb.result().isEmpty()) {
        break;
      }
    }
    Set<Long> all = new HashSet<>(a);
    all.addAll(b);
    assertThat(a.size() + b.size()).isEqualTo(400);
    assertThat(all).hasSize(400);
    assertThat(a).isNotEmpty();
    assertThat(b).isNotEmpty();
  }

  @Test
  @DisplayName("a claim only takes jobs whose GPU count and VRAM fit the local GPUs")
  void gpuMatching() {
    long cpu = queue.submit(JobSpec.noop()).await();
    long oneGpu = queue.submit(JobSpec.noop().withGpus(1, 16.0)).await();
    long bigVram = queue.submit(JobSpec.noop().withGpus(1, 80.0)).await();
    long twoGpus = queue.submit(JobSpec.noop().withGpus(2, null)).await();
    assertThat(queue.claim("w", 10, new double[0], ALL, 60).await())
        .extracting(ClaimedJob::id)
        .containsExactly(cpu);
    assertThat(queue.claim("w", 10, new double[] {24}, ALL, 60).await())
        .extracting(ClaimedJob::id)
        .containsExactly(oneGpu);
    long twoBig = queue.submit(JobSpec.noop().withGpus(2, 40.0)).await();
    // One large and one small free GPU: two GPUs of 40 GB each do not fit, the others do.
    assertThat(queue.claim("w", 10, new double[] {80, 16}, ALL, 60).await())
        .extracting(ClaimedJob::id)
        .containsExactly(bigVram, twoGpus);
    assertThat(queue.claim("w", 10, new double[] {48, 48}, ALL, 60).await())
        .extracting(ClaimedJob::id)
        .containsExactly(twoBig);
  }

  @Test
  @DisplayName(
      "an expired lease re-queues the job, and after max attempts it is dead; every change is an event")
  void leaseExpiry() {
    long id = queue.submit(JobSpec.noop().withMaxAttempts(2)).await();
    assertThat(queue.claim("crashed-1", 1, new double[0], ALL, 0).await()).hasSize(1);
    assertThat(queue.reap().await()).isEqualTo(1);
    assertThat(state(id)).isEqualTo("queued");
    assertThat(queue.claim("crashed-2", 1, new double[0], ALL, 0).await())
        .extracting(ClaimedJob::attempt)
        .containsExactly(2);
    assertThat(queue.reap().await()).isEqualTo(1);
    assertThat(state(id)).isEqualTo("dead");
    assertThat(queue.claim("w", 1, new double[0], ALL, 60).await()).isEmpty();
    List<String> events = new ArrayList<>();
    queue
        .show(id, 100, 100)
        .await()
        .getJsonArray("history")
        .forEach(
            e ->
                events.add(
                    ((JsonObject) e).getString("from") + ">" + ((JsonObject) e).getString("to")));
    assertThat(events)
        .containsExactly(
            "null>queued", "queued>running", "running>queued", "queued>running", "running>dead");
  }

  @Test
  @DisplayName("completion is recorded only for the lease owner, and cancel stops queued jobs")
  void completeAndCancel() {
    long id = queue.submit(JobSpec.noop()).await();
    long other = queue.submit(JobSpec.noop()).await();
    queue.claim("w", 1, new double[0], ALL, 60).await();
    var done =
        List.of(
            new JobQueue.Completion(id, new JobOutcome("failed", 3, "tail", null, "exit code 3")));
    assertThat(queue.complete("intruder", done).await()).isZero();
    assertThat(queue.complete("w", done).await()).isEqualTo(1);
    JsonObject job = queue.show(id, 100, 100).await();
    assertThat(job.getString("state")).isEqualTo("failed");
    assertThat(job.getInteger("exit_code")).isEqualTo(3);
    assertThat(job.getString("log_tail")).isEqualTo("tail");
    assertThat(queue.cancel(other).await()).isTrue();
    assertThat(state(other)).isEqualTo("cancelled");
    assertThat(queue.cancel(other).await()).isFalse();
    assertThat(count("SELECT count(*) FROM job_events")).isEqualTo(5);
  }

  @Test
  @DisplayName(
      "a batch completes each job with its own outcome; a JSON-less job keeps SQL NULLs; a repeat is ignored")
  void completesMixedBatch() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(queue.submit(JobSpec.noop()).await());
    }
    assertThat(queue.claim("w", 3, new double[0], ALL, 60).await()).hasSize(3);
    var done =
        List.of(
            new JobQueue.Completion(
                ids.get(0),
                JobOutcome.succeeded(new JsonObject().put("gb_s", 12.5).put("n", "x\"y"))),
            new JobQueue.Completion(
                ids.get(1), new JobOutcome("timed_out", null, "line 1\nline 2", null, "timed out")),
            new JobQueue.Completion(ids.get(2), JobOutcome.failed("boom")));
    assertThat(queue.complete("w", done).await()).isEqualTo(3);
    assertThat(queue.complete("w", done).await()).isZero();
    JsonObject first = queue.show(ids.get(0), 100, 100).await();
    assertThat(first.getString("state")).isEqualTo("succeeded");
    assertThat(first.getInteger("exit_code")).isZero();
    assertThat(first.getJsonObject("result"))
        .isEqualTo(new JsonObject().put("gb_s", 12.5).put("n", "x\"y"));
    assertThat(first.getValue("error")).isNull();
    JsonObject second = queue.show(ids.get(1), 100, 100).await();
    assertThat(second.getString("state")).isEqualTo("timed_out");
    assertThat(second.getValue("exit_code")).isNull();
    assertThat(second.getString("log_tail")).isEqualTo("line 1\nline 2");
    assertThat(second.getValue("result")).isNull();
    assertThat(count("SELECT count(*) FROM jobs WHERE result IS NULL AND id = " + ids.get(1)))
        .isEqualTo(1);
    assertThat(state(ids.get(2))).isEqualTo("failed");
    assertThat(count("SELECT count(*) FROM jobs WHERE lease_owner IS NOT NULL")).isZero();
    assertThat(
            count(
                "SELECT count(*) FROM job_events WHERE to_state IN ('succeeded', 'timed_out', 'failed')"))
        .isEqualTo(3);
  }

  @Test
  @DisplayName(
      "a lease exists only while a job runs: the schema refuses one on a queued job, so owner tests suffice")
  void leaseOnlyWhileRunning() {
    long id = queue.submit(JobSpec.noop()).await();
    assertThatThrownBy(
            () ->
                pool.query("UPDATE jobs SET lease_owner = 'w' WHERE id = " + id).execute().await())
        .hasMessageContaining("jobs_lease_only_while_running");
    assertThat(queue.heartbeat("w", List.of(id), 60).await()).isEmpty();
    assertThat(
            queue
                .complete("w", List.of(new JobQueue.Completion(id, JobOutcome.succeeded(null))))
                .await())
        .isZero();
    assertThat(state(id)).isEqualTo("queued");
  }

  private String state(long id) {
    Row r =
        pool.query("SELECT state FROM jobs WHERE id = " + id).execute().await().iterator().next();
    return r.getString(0);
  }
}
