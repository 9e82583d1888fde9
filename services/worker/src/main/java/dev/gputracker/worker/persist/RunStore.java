package dev.gputracker.worker.persist;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** Records scrape runs and how each source fared in them. */
public final class RunStore {
  private final Pool pool;

  public RunStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Long> startRun(String workerId, String mode) {
    return pool.preparedQuery(WorkerSql.START_RUN)
        .execute(Tuple.of(workerId, mode))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  /** Ends a run with succeeded, partial, failed or interrupted. */
  public Future<Void> finishRun(long runId, String status) {
    return pool.preparedQuery(WorkerSql.FINISH_RUN).execute(Tuple.of(runId, status)).mapEmpty();
  }

  public Future<Void> startSource(long runId, int sourceId) {
    return pool.preparedQuery(WorkerSql.START_SOURCE).execute(Tuple.of(runId, sourceId)).mapEmpty();
  }

  public Future<Void> finishSource(long runId, int sourceId, SourceOutcome o) {
    Tuple params =
        Tuple.tuple()
            .addLong(runId)
            .addInteger(sourceId)
            .addString(o.status())
            .addInteger(o.pages())
            .addInteger(o.seen())
            .addInteger(o.inserted())
            .addInteger(o.updated())
            .addInteger(o.removed())
            .addInteger(o.errors())
            .addString(truncate(o.errorMessage()))
            .addLong(o.durationMs())
            .addInteger(o.rejected())
            .addString(truncate(o.healthReason()));
    return pool.preparedQuery(WorkerSql.FINISH_SOURCE).execute(params).mapEmpty();
  }

  /**
   * Marks the source's runs left 'running' by a dead process as interrupted. Call only while
   * holding the source's lock: that is what proves their owner is gone.
   */
  public Future<Void> recoverAbandoned(int sourceId) {
    return pool.preparedQuery(WorkerSql.RECOVER_ABANDONED).execute(Tuple.of(sourceId)).mapEmpty();
  }

  private static String truncate(String message) {
    return message == null || message.length() <= 2000 ? message : message.substring(0, 2000) + "…";
  }
}
