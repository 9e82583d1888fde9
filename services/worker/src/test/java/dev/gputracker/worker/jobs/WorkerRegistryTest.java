package dev.gputracker.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.db.OutboxReader;
import dev.gputracker.shared.events.OutboxEvent;
import dev.gputracker.shared.testing.EventContracts;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.gpu.DetectedGpu;
import dev.gputracker.worker.gpu.GpuDetection;
import dev.gputracker.worker.jobs.queue.WorkerRegistry;
import dev.gputracker.worker.testing.Sql;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A worker's row in {@code workers}, over a real PostgreSQL. The GPUs are a detection result as an
 * H100 machine's nvidia-smi would give it: this machine has none.
 */
class WorkerRegistryTest {
  private static final GpuDetection H100 =
      new GpuDetection(
          "nvidia-smi",
          List.of(
              new DetectedGpu(
                  0,
                  "NVIDIA H100 80GB HBM3",
                  81559,
                  "9.0",
                  "535.104.05",
                  "nvidia-smi",
                  "GPU-5e4a0f6c-1b2d-3c4e-8f90-a1b2c3d4e5f6",
                  0)),
          List.of());

  private DatabaseUrl db;
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    db = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, db, "registry-test", 4);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private WorkerRegistry registry(String id, int heartbeatSeconds) {
    return new WorkerRegistry(
        vertx,
        pool,
        new WorkerRegistry.Registration(
            id, "gpu-box-1", H100, 4, "1.2.3", Duration.ofSeconds(heartbeatSeconds)));
  }

  @Test
  @DisplayName(
      "start upserts the row with host, GPUs as JSON, capacity, version and interval; stop sets stopped_at")
  void registerAndStop() {
    Sql.execute(
        db,
        "INSERT INTO workers (id, host, capacity, started_at, heartbeat_at, stopped_at) VALUES"
            + " ('w1', 'old-host', 1, now() - interval '1 day', now() - interval '1 day', now() - interval '1 day')");
    WorkerRegistry w1 = registry("w1", 15);
    w1.start().await();
    assertThat(
            Sql.single(
                db,
                "SELECT host || '|' || capacity || '|' || version || '|' || heartbeat_seconds"
                    + " FROM workers WHERE id = 'w1'"))
        .isEqualTo("gpu-box-1|4|1.2.3|15");
    assertThat(
            Sql.count(
                db,
                "SELECT count(*) FROM workers WHERE id = 'w1' AND stopped_at IS NULL"
                    + " AND started_at > now() - interval '1 minute'"))
        .as("a restart is a fresh start")
        .isEqualTo(1);
    JsonArray gpus =
        new JsonArray(Sql.single(db, "SELECT gpus::text FROM workers WHERE id = 'w1'").toString());
    assertThat(gpus.getJsonObject(0).getString("name")).isEqualTo("NVIDIA H100 80GB HBM3");
    assertThat(gpus.getJsonObject(0).getLong("memory_mb")).isEqualTo(81559L);
    assertThat(gpus.getJsonObject(0).getString("compute_capability")).isEqualTo("9.0");
    assertThat(gpus.getJsonObject(0).getString("uuid"))
        .isEqualTo("GPU-5e4a0f6c-1b2d-3c4e-8f90-a1b2c3d4e5f6");
    assertThat(gpus.getJsonObject(0).getInteger("toolkit_index")).isZero();

    w1.stop().await();
    assertThat(
            Sql.count(
                db, "SELECT count(*) FROM workers WHERE id = 'w1' AND stopped_at IS NOT NULL"))
        .isEqualTo(1);
    assertThat(w1.heartbeat().await()).as("a stopped worker does not come back").isFalse();
    assertThat(Sql.count(db, "SELECT count(*) FROM workers WHERE stopped_at IS NULL")).isZero();
  }

  @Test
  @DisplayName("a heartbeat refreshes heartbeat_at; one that finds the row deleted registers again")
  void heartbeat() {
    WorkerRegistry w = registry("w2", 3600);
    w.start().await();
    Sql.execute(db, "UPDATE workers SET heartbeat_at = now() - interval '1 hour'");
    assertThat(w.heartbeat().await()).isTrue();
    assertThat(
            Sql.count(
                db,
                "SELECT count(*) FROM workers WHERE heartbeat_at > now() - interval '1 minute'"))
        .isEqualTo(1);
    Sql.execute(db, "DELETE FROM workers");
    assertThat(w.heartbeat().await()).isFalse();
    assertThat(Sql.count(db, "SELECT count(*) FROM workers WHERE id = 'w2' AND stopped_at IS NULL"))
        .isEqualTo(1);
    w.stop().await();
  }

  @Test
  @DisplayName("the timer heartbeats every interval without being called")
  void timerHeartbeats() {
    WorkerRegistry w = registry("w3", 1);
    w.start().await();
    Sql.execute(db, "UPDATE workers SET heartbeat_at = '2000-01-01'");
    // Waits for the row to change (checked on a timer, with a deadline), not for a fixed time.
    until(
            () ->
                Sql.count(db, "SELECT count(*) FROM workers WHERE heartbeat_at > '2001-01-01'")
                    == 1,
            Duration.ofSeconds(20))
        .await();
    w.stop().await();
    Sql.execute(db, "UPDATE workers SET heartbeat_at = '2000-01-01'");
    // After stop, a heartbeat would need the row not stopped: the timer is gone and nothing
    // refreshes it.
    assertThat(w.heartbeat().await()).isFalse();
    assertThat(Sql.single(db, "SELECT heartbeat_at::date::text FROM workers"))
        .isEqualTo("2000-01-01");
  }

  private Future<Void> until(Supplier<Boolean> condition, Duration deadline) {
    Promise<Void> done = Promise.promise();
    long end = System.nanoTime() + deadline.toNanos();
    vertx.setPeriodic(
        100,
        id ->
            vertx
                .<Boolean>executeBlocking(condition::get)
                .onSuccess(
                    ok -> {
                      if (ok) {
                        vertx.cancelTimer(id);
                        done.tryComplete();
                      } else if (System.nanoTime() > end) {
                        vertx.cancelTimer(id);
                        done.tryFail("condition not met within " + deadline);
                      }
                    }));
    return done.future();
  }

  @Test
  @DisplayName(
      "worker.joined on start, worker.left on a clean stop and, once, for a worker whose heartbeats stopped; all valid")
  void workerEvents() {
    WorkerRegistry a = registry("a", 15);
    a.start().await();
    // b joined long ago and died without a word: its last heartbeat is far more than three
    // intervals old.
    WorkerRegistry b = registry("b", 15);
    b.start().await();
    Sql.execute(
        db, "UPDATE workers SET heartbeat_at = now() - interval '10 minutes' WHERE id = 'b'");
    a.heartbeat().await();
    a.heartbeat().await(); // announced once, not at every heartbeat
    a.stop().await();
    a.stop().await(); // stopping twice leaves once
    var events = OutboxReader.parsedAfter(pool, OutboxEvent.Position.START, 100).await();
    Assertions.assertThat(events)
        .extracting(
            e ->
                e.type()
                    + " "
                    + e.data().getString("worker")
                    + (e.data().containsKey("reason") ? " " + e.data().getString("reason") : ""))
        .containsExactly(
            "worker.joined a",
            "worker.joined b",
            "worker.left b heartbeat_lost",
            "worker.left a stopped");
    for (var e : events) {
      EventContracts.assertHonoured(e.envelope());
    }
    Assertions.assertThat(events.get(0).data().getJsonArray("gpus")).hasSize(1);
  }
}
