package dev.gputracker.worker.jobs.queue;

import dev.gputracker.worker.gpu.GpuDetection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's row in {@code workers}: upserted at start with its host, detected GPUs, job capacity
 * and version, heartbeated every interval, and marked stopped on a graceful shutdown. Readers call
 * a worker gone when its heartbeat is older than three of its own intervals (stored with it), so a
 * killed worker shows as gone without anyone cleaning up. A heartbeat that finds the row missing
 * registers it again.
 */
public final class WorkerRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRegistry.class);

  /**
   * What a worker says about itself.
   *
   * @param capacity how many jobs it runs at once (0: it runs none, e.g. a scrape-only worker)
   */
  public record Registration(
      String id,
      String host,
      GpuDetection gpus,
      int capacity,
      String version,
      Duration heartbeat) {}

  private final Vertx vertx;
  private final Pool pool;
  private final Registration registration;
  private volatile long timer = -1;
  private volatile boolean stopped;

  public WorkerRegistry(Vertx vertx, Pool pool, Registration registration) {
    this.vertx = vertx;
    this.pool = pool;
    this.registration = registration;
  }

  /** The jar's {@code Implementation-Version}, or "dev" when run from classes. */
  public static String version() {
    return Optional.ofNullable(WorkerRegistry.class.getPackage().getImplementationVersion())
        .orElse("dev");
  }

  public Registration registration() {
    return registration;
  }

  /** Upserts the row, then heartbeats on a timer. */
  public Future<Void> start() {
    return register()
        .onSuccess(
            v -> {
              if (!stopped) {
                timer =
                    vertx.setPeriodic(
                        registration.heartbeat().toMillis(),
                        id ->
                            heartbeat()
                                .onFailure(
                                    e -> LOG.warn("Worker heartbeat failed: {}", e.getMessage())));
              }
            });
  }

  /** One heartbeat; registers again if the row is gone. Resolves with whether the row was there. */
  public Future<Boolean> heartbeat() {
    return pool.preparedQuery(JobSql.WORKER_HEARTBEAT)
        .execute(Tuple.of(registration.id()))
        .compose(
            rows -> {
              boolean alive = rows.iterator().next().getInteger("alive") > 0;
              return alive || stopped ? Future.succeededFuture(alive) : register().map(false);
            });
  }

  /** Stops heartbeating and marks the row stopped. */
  public Future<Void> stop() {
    stopped = true;
    long t = timer;
    if (t >= 0) {
      vertx.cancelTimer(t);
    }
    return pool.preparedQuery(JobSql.WORKER_STOPPED)
        .execute(Tuple.of(registration.id()))
        .mapEmpty();
  }

  private Future<Void> register() {
    Registration r = registration;
    Tuple t =
        Tuple.tuple()
            .addString(r.id())
            .addString(r.host())
            .addValue(r.gpus().gpusJson())
            .addInteger(r.capacity())
            .addString(r.version())
            .addInteger((int) r.heartbeat().toSeconds());
    return pool.preparedQuery(JobSql.WORKER_UPSERT).execute(t).mapEmpty();
  }
}
