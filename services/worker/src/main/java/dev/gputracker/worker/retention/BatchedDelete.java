package dev.gputracker.worker.retention;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.function.BooleanSupplier;

/**
 * Runs one bounded DELETE again and again until a batch deletes fewer rows than asked, the pass's
 * batch budget is spent or the process stops. Each batch is its own statement and transaction: a
 * table with millions of expired rows is pruned without a long lock or a long transaction (which
 * would hold back vacuum and the outbox readers' horizon), and what one pass leaves the next one
 * takes.
 *
 * @param batchRows rows per statement, bound as the statement's last parameter
 * @param maxBatches statements per pass at most
 */
public record BatchedDelete(int batchRows, int maxBatches) {
  /**
   * 1,000 rows a batch (a few milliseconds of locks), at most 500 batches (500,000 rows) a pass.
   */
  public static final BatchedDelete DEFAULT = new BatchedDelete(1_000, 500);

  public BatchedDelete {
    if (batchRows < 1 || maxBatches < 1) {
      throw new IllegalArgumentException("batchRows and maxBatches must be positive");
    }
  }

  /**
   * Deletes with {@code sql}, its leading parameters {@code params}; resolves with the rows deleted
   * in all.
   */
  public Future<Long> run(Pool pool, String sql, Tuple params, BooleanSupplier stopped) {
    return next(pool, sql, params, stopped, 0, 0L);
  }

  private Future<Long> next(
      Pool pool, String sql, Tuple params, BooleanSupplier stopped, int done, long deleted) {
    if (done == maxBatches || stopped.getAsBoolean()) {
      return Future.succeededFuture(deleted);
    }
    Tuple batch = Tuple.tuple();
    for (int i = 0; i < params.size(); i++) {
      batch.addValue(params.getValue(i));
    }
    batch.addValue(batchRows);
    return pool.preparedQuery(sql)
        .execute(batch)
        .compose(
            rows ->
                rows.rowCount() < batchRows
                    ? Future.succeededFuture(deleted + rows.rowCount())
                    : next(pool, sql, params, stopped, done + 1, deleted + rows.rowCount()));
  }
}
