package dev.gputracker.worker.persist;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the daily price series summary (V29, {@code gpu_price_days}) up to date: after a run, each
 * model the run's writes marked is refreshed in its own REPEATABLE READ transaction, one at a time,
 * so the summary, the marks it clears and the rows it reads are one snapshot and no refresh holds
 * more than one model. Until then the API computes a marked model's days from the price points, so
 * a refresh that fails or is late costs speed, never exactness.
 */
public final class PriceDays {
  private final Pool pool;

  public PriceDays(Pool pool) {
    this.pool = pool;
  }

  /**
   * Refreshes every marked model.
   *
   * @return how many were refreshed
   */
  public Future<Integer> refreshMarked() {
    return pool.query(WorkerSql.PRICE_DAYS_MARKED)
        .execute()
        .compose(
            rows -> {
              List<String> slugs = new ArrayList<>();
              for (Row r : rows) {
                slugs.add(r.getString("gpu_slug"));
              }
              Future<Void> chain = Future.succeededFuture();
              for (String slug : slugs) {
                chain = chain.compose(v -> refresh(slug));
              }
              return chain.map(slugs.size());
            });
  }

  private Future<Void> refresh(String slug) {
    return pool.withTransaction(
        c ->
            c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .execute()
                .compose(v -> c.preparedQuery(WorkerSql.PRICE_DAYS_REFRESH).execute(Tuple.of(slug)))
                .mapEmpty());
  }
}
