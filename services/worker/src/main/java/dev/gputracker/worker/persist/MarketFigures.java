package dev.gputracker.worker.persist;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * Keeps the stored market figures of {@code /api/gpus} (V30, {@code gpu_market}) up to date: after
 * a run, the models its writes marked are recomputed in one REPEATABLE READ transaction, so the
 * marks it clears are those whose writes its figures include. Until then the API computes the
 * marked models itself, so a refresh that fails or is late costs speed, never exactness.
 */
public final class MarketFigures {
  private final Pool pool;

  public MarketFigures(Pool pool) {
    this.pool = pool;
  }

  /**
   * Recomputes every marked model.
   *
   * @return how many models
   */
  public Future<Integer> refreshMarked() {
    return pool.withTransaction(
        c ->
            c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .execute()
                .compose(v -> c.query(WorkerSql.MARKET_REFRESH).execute())
                .map(rows -> rows.iterator().next().getInteger(0)));
  }
}
