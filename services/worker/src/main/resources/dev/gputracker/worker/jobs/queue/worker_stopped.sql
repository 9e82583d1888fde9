-- worker_stopped.sql: a clean stop: the worker is marked stopped and a worker.left event with the reason stopped is
-- written (JobSql.WORKER_LEFT), once (a second stop finds the row stopped already).
--
-- Parameters: $1 text the worker's id.
WITH w AS (
  UPDATE workers SET heartbeat_at = now(), stopped_at = now(), left_event_at = now()
  WHERE id = $1 AND stopped_at IS NULL
  RETURNING id, host, heartbeat_at, 'stopped'::text AS reason
)
/*outbox:worker.left*/
FROM w
