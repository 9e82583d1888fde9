package dev.gputracker.worker.persist;

import dev.gputracker.worker.scrape.health.Baseline;
import dev.gputracker.worker.scrape.health.YieldFigures;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a source's yield baseline and records its health ({@code sources.health}, with an event on
 * a change).
 */
public final class HealthStore {
  private final Pool pool;

  public HealthStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * The source's recent trusted runs other than {@code runId}, at most {@code runs}, newest first.
   */
  public Future<Baseline> baseline(int sourceId, long runId, int runs) {
    return pool.preparedQuery(WorkerSql.BASELINE)
        .execute(Tuple.of(sourceId, runId, runs))
        .map(
            rows -> {
              List<YieldFigures> figures = new ArrayList<>();
              for (Row r : rows) {
                figures.add(
                    new YieldFigures(
                        r.getInteger("listings_read"),
                        r.getInteger("listings_priced"),
                        r.getInteger("listings_normalised"),
                        r.getInteger("pagination_depth"),
                        0));
              }
              return new Baseline(figures);
            });
  }

  /**
   * Records the source's health after a run.
   *
   * @return the previous health when this changed it, else empty
   */
  public Future<Optional<String>> record(int sourceId, long runId, String health, String reason) {
    return pool.preparedQuery(WorkerSql.SET_HEALTH)
        .execute(Tuple.of(sourceId, health, reason, runId))
        .map(
            rows -> {
              if (!rows.iterator().hasNext()) {
                return Optional.<String>empty();
              }
              Row r = rows.iterator().next();
              return Boolean.TRUE.equals(r.getBoolean("changed"))
                  ? Optional.of(r.getString("previous"))
                  : Optional.<String>empty();
            });
  }

  /** The source's latest finished run; empty when the source is unknown. */
  public Future<Optional<LatestRun>> latestRun(String source) {
    return pool.preparedQuery(WorkerSql.LATEST_RUN)
        .execute(Tuple.of(source))
        .map(
            rows -> {
              if (!rows.iterator().hasNext()) {
                return Optional.<LatestRun>empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(
                  new LatestRun(
                      r.getInteger("source_id"),
                      r.getLong("run_id"),
                      r.getString("status"),
                      r.getString("health_reason")));
            });
  }

  /**
   * Runs before {@code runId} no longer count in the source's baseline; {@code runId} itself does.
   */
  public Future<Void> acceptBaseline(int sourceId, long runId) {
    return pool.preparedQuery(WorkerSql.ACCEPT_BASELINE)
        .execute(Tuple.of(sourceId, runId))
        .mapEmpty();
  }

  /**
   * A source's latest finished run.
   *
   * @param runId null when the source never finished a run
   */
  public record LatestRun(int sourceId, Long runId, String status, String healthReason) {}
}
