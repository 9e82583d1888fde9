package dev.gputracker.worker.events;

import dev.gputracker.shared.db.SqlResource;

/**
 * The index of the SQL of the worker's event plumbing: the relay's cursor and the outbox's pruning.
 * The longer statements are files beside this class ({@code
 * resources/dev/gputracker/worker/events/*.sql}, with a header naming their parameters).
 */
final class EventsSql {
  private EventsSql() {}

  static final String CURSOR =
      "SELECT tx::text::bigint AS tx, id FROM outbox_cursors WHERE name = $1";

  static final String SAVE_CURSOR =
      """
      INSERT INTO outbox_cursors (name, tx, id) VALUES ($1, $2::text::xid8, $3)
      ON CONFLICT (name) DO UPDATE SET tx = EXCLUDED.tx, id = EXCLUDED.id, updated_at = now()
      """;

  /** Published and older than the retention: one batch (see {@code BatchedDelete}). */
  static final String PRUNE_PUBLISHED = SqlResource.load(EventsSql.class, "prune_published.sql");

  /** How far the relay is behind: events after its cursor, and the age of the oldest of them. */
  static final String LAG = SqlResource.load(EventsSql.class, "lag.sql");
}
