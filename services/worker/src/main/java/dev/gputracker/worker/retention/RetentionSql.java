package dev.gputracker.worker.retention;

/**
 * The SQL of pruning. Each statement deletes one bounded batch ($last = rows at most) in a
 * transaction of its own, so no pass holds many row locks for long; rows another transaction holds
 * (a page write touching a reject) are skipped, not waited for, and go in a later pass.
 */
final class RetentionSql {
  private RetentionSql() {}

  /**
   * Rejected listings not seen for the retention ($1 seconds), by {@code rejected_last_seen_idx}.
   */
  static final String PRUNE_REJECTED =
      """
      DELETE FROM rejected_listings WHERE id IN (
        SELECT id FROM rejected_listings WHERE last_seen_at < now() - make_interval(secs => $1)
        LIMIT $2 FOR UPDATE SKIP LOCKED)
      """;

  /**
   * Without Kafka nothing publishes: events older than the retention ($1 seconds) only fed the live
   * stream.
   */
  static final String PRUNE_OUTBOX =
      """
      DELETE FROM outbox WHERE id IN (
        SELECT id FROM outbox WHERE time < now() - make_interval(secs => $1)
        LIMIT $2 FOR UPDATE SKIP LOCKED)
      """;
}
