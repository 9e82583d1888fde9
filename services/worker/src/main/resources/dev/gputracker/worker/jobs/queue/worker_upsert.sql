-- worker_upsert.sql: registers (or re-registers, after a restart under the same id) a worker: a fresh start, not
-- stopped, announced by a worker.joined event (JobSql.WORKER_JOINED).
--
-- Parameters: $1 text the worker's id; $2 text its host; $3 jsonb the GPUs it found; $4 int its capacity; $5 text its
-- version; $6 int its heartbeat interval (seconds).
WITH w AS (
  INSERT INTO workers (id, host, gpus, capacity, version, heartbeat_seconds, started_at, heartbeat_at,
                       stopped_at, left_event_at)
  VALUES ($1, $2, $3, $4, $5, $6, now(), now(), NULL, NULL)
  ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, gpus = EXCLUDED.gpus, capacity = EXCLUDED.capacity,
    version = EXCLUDED.version, heartbeat_seconds = EXCLUDED.heartbeat_seconds, started_at = now(),
    heartbeat_at = now(), stopped_at = NULL, left_event_at = NULL
  RETURNING id, host, gpus, capacity, version, started_at
)
/*outbox:worker.joined*/
FROM w
