package dev.gputracker.worker.events;

/** The SQL of the worker's event plumbing: the relay's cursor and the outbox's pruning. */
final class EventsSql {
  private EventsSql() {}

  static final String CURSOR =
      "SELECT tx::text::bigint AS tx, id FROM outbox_cursors WHERE name = $1";

  static final String SAVE_CURSOR =
      """
      INSERT INTO outbox_cursors (name, tx, id) VALUES ($1, $2::text::xid8, $3)
      ON CONFLICT (name) DO UPDATE SET tx = EXCLUDED.tx, id = EXCLUDED.id, updated_at = now()
      """;

  /**
   * Published (at or before the cursor) and older than the retention ($1 seconds): one batch of $4
   * rows at most (see {@code BatchedDelete}); rows another transaction holds are skipped, not
   * waited for.
   */
  static final String PRUNE_PUBLISHED =
      """
      DELETE FROM outbox WHERE id IN (
        SELECT id FROM outbox
        WHERE time < now() - make_interval(secs => $1) AND (tx, id) <= ($2::text::xid8, $3::bigint)
        LIMIT $4 FOR UPDATE SKIP LOCKED)
      """;

  /** How far the relay is behind: events after its cursor, and the age of the oldest of them. */
  static final String LAG =
      """
      SELECT count(*)::bigint AS events,
             coalesce(extract(epoch FROM now() - min(time)), 0)::float8 AS seconds
      FROM outbox WHERE (tx, id) > ($1::text::xid8, $2::bigint)
      """;
}
