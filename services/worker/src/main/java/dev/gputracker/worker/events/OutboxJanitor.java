package dev.gputracker.worker.events;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;

/**
 * Without Kafka the outbox only feeds the API's live stream and clients resuming it: events older than the
 * retention are deleted every ten minutes. (With Kafka the relay prunes, and only what it has published.)
 */
public final class OutboxJanitor {
  private final Vertx vertx;
  private final long timer;

  public OutboxJanitor(Vertx vertx, Pool pool, Duration retention) {
    this.vertx = vertx;
    this.timer = vertx.setPeriodic(10 * 60_000, id ->
        pool.preparedQuery(EventsSql.PRUNE_OLD).execute(Tuple.of(retention.toSeconds())));
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }
}
