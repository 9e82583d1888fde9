-- Workers, latest started first: stopped after a graceful exit, gone once the heartbeat is older than
-- three of that worker's own intervals, else active.
-- $1 text: a status (active, gone, stopped), or null for every worker.
-- $2 int: the rows to read.

SELECT * FROM (
  SELECT id, host, gpus, capacity, version, heartbeat_seconds, started_at, heartbeat_at, stopped_at,
         CASE WHEN stopped_at IS NOT NULL THEN 'stopped'
              WHEN heartbeat_at < now() - make_interval(secs => 3 * heartbeat_seconds) THEN 'gone'
              ELSE 'active' END AS status
  FROM workers) w
WHERE $1::text IS NULL OR status = $1
ORDER BY started_at DESC, id
LIMIT $2
