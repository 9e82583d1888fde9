package dev.gputracker.worker.retention;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the tables that only grow bounded: rejected listings not seen for {@code
 * REJECTED_RETENTION_DAYS} and outbox events older than {@code OUTBOX_RETENTION_HOURS} are deleted
 * in bounded batches. The daemon runs a pass at start and every ten minutes (never two at once); a
 * oneshot runs one pass before it exits, so a cron-only deployment stays bounded too. Price points
 * are never pruned: a price holds until it changes.
 */
public final class RetentionJanitor {
  /** Time between the daemon's passes. */
  public static final Duration EVERY = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJanitor.class);

  private final Vertx vertx;
  private final Pool pool;
  private final RetentionSettings settings;
  private final BatchedDelete batches;
  private final OutboxPrune outbox;
  private final PruneListener listener;
  private volatile boolean stopped;
  private volatile long timer = -1;

  /** What one pass deleted. */
  public record Pruned(long rejects, long outboxEvents) {}

  public RetentionJanitor(
      Vertx vertx,
      Pool pool,
      RetentionSettings settings,
      BatchedDelete batches,
      OutboxPrune outbox,
      PruneListener listener) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    this.batches = batches;
    this.outbox = outbox;
    this.listener = listener;
  }

  /**
   * One pass over both tables; resolves with what it deleted (a failure is logged by {@link
   * #schedule}).
   */
  public Future<Pruned> pass() {
    long start = System.nanoTime();
    return batches
        .run(
            pool,
            RetentionSql.PRUNE_REJECTED,
            Tuple.of(settings.rejects().toSeconds()),
            () -> stopped)
        .compose(
            rejects -> {
              listener.onPruned("rejected_listings", rejects);
              return outbox
                  .prune(settings.outbox(), batches, () -> stopped)
                  .map(
                      events -> {
                        listener.onPruned("outbox", events);
                        return new Pruned(rejects, events);
                      });
            })
        .onSuccess(
            p -> {
              long ms = (System.nanoTime() - start) / 1_000_000;
              if (p.rejects() + p.outboxEvents() > 0) {
                LOG.info(
                    "Pruned {} rejected listings not seen for {} days and {} outbox events older than {} h in {} ms",
                    p.rejects(),
                    settings.rejects().toDays(),
                    p.outboxEvents(),
                    settings.outbox().toHours(),
                    ms);
              } else {
                LOG.debug("Pruning found nothing to delete ({} ms)", ms);
              }
            });
  }

  /** The daemon's schedule: a pass now, then one {@link #EVERY} after each pass ends. */
  public void schedule() {
    vertx.runOnContext(v -> scheduled());
  }

  private void scheduled() {
    if (stopped) {
      return;
    }
    pass()
        .onFailure(
            err ->
                LOG.warn(
                    "Pruning failed ({}); next pass in {} min",
                    err.getMessage(),
                    EVERY.toMinutes()))
        .onComplete(
            ar -> {
              if (!stopped) {
                timer = vertx.setTimer(EVERY.toMillis(), id -> scheduled());
              }
            });
  }

  /** Stops scheduling; a pass under way ends after its current batch. */
  public void stop() {
    stopped = true;
    long t = timer;
    if (t >= 0) {
      vertx.cancelTimer(t);
    }
  }
}
