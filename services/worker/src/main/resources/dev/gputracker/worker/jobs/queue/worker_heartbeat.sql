-- worker_heartbeat.sql: this worker's heartbeat; in the same statement, workers whose heartbeats stopped (three
-- missed) are announced as gone, each once, by a worker.left event with the reason heartbeat_lost (JobSql.WORKER_LEFT,
-- the same definition as a clean stop's).
--
-- Parameters: $1 text this worker's id.
-- Returns alive (int: 1 when this worker's row was still there) and lost (int: workers announced gone).
WITH me AS (
  UPDATE workers SET heartbeat_at = now() WHERE id = $1 AND stopped_at IS NULL RETURNING id
),
lost AS (
  UPDATE workers SET left_event_at = now()
  WHERE id <> $1 AND stopped_at IS NULL AND left_event_at IS NULL
    AND heartbeat_at < now() - make_interval(secs => 3 * heartbeat_seconds)
  RETURNING id, host, heartbeat_at, 'heartbeat_lost'::text AS reason
),
events AS (
  /*outbox:worker.left*/
  FROM lost w
  RETURNING 1
)
SELECT (SELECT count(*) FROM me)::int AS alive, (SELECT count(*) FROM events)::int AS lost
