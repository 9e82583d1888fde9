-- set_health.sql: records a source's health after a run. A change of health, and only a change, writes a
-- source.health_changed event (WorkerSql.SOURCE_HEALTH_CHANGED) in the same transaction.
--
-- Parameters: $1 int the source's id; $2 text the health (ok, suspect, failing); $3 text the reason (null when ok);
-- $4 bigint the run's id.
-- Returns the previous health and whether this changed it (no row for an unknown source).
WITH old AS (
  SELECT id, name, health FROM sources WHERE id = $1
),
updated AS (
  UPDATE sources s SET health = $2, health_reason = $3,
    health_changed_at = CASE WHEN s.health IS DISTINCT FROM $2 THEN now() ELSE s.health_changed_at END
  FROM old WHERE s.id = old.id
  RETURNING s.id, s.name, old.health AS previous
),
events AS (
  /*outbox:source.health_changed*/
  FROM updated u WHERE u.previous IS DISTINCT FROM $2
  RETURNING 1
)
SELECT u.previous, (u.previous IS DISTINCT FROM $2) AS changed FROM updated u
