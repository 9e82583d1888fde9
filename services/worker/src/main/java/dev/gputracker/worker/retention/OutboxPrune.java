package dev.gputracker.worker.retention;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How the outbox is pruned: with Kafka, the relay deletes only events it has published (it knows
 * its cursor); without, events older than the retention only fed the live stream and go.
 */
@FunctionalInterface
public interface OutboxPrune {
  /** Deletes events older than {@code retention} in batches; resolves with how many. */
  Future<Long> prune(Duration retention, BatchedDelete batches, BooleanSupplier stopped);

  /** Without Kafka: every event older than the retention. */
  static OutboxPrune withoutKafka(Pool pool) {
    return (retention, batches, stopped) ->
        batches.run(pool, RetentionSql.PRUNE_OUTBOX, Tuple.of(retention.toSeconds()), stopped);
  }
}
