package dev.gputracker.worker.retention;

import dev.gputracker.shared.db.SqlResource;

/**
 * The index of the SQL of pruning, each statement a file beside this class ({@code
 * resources/dev/gputracker/worker/retention/*.sql}). Each deletes one bounded batch in a
 * transaction of its own, so no pass holds many row locks for long.
 */
final class RetentionSql {
  private RetentionSql() {}

  /** Rejected listings not seen for the retention. */
  static final String PRUNE_REJECTED = SqlResource.load(RetentionSql.class, "prune_rejected.sql");

  /** Without Kafka nothing publishes: events older than the retention. */
  static final String PRUNE_OUTBOX = SqlResource.load(RetentionSql.class, "prune_outbox.sql");
}
