-- release.sql: hands claimed jobs that never started back to the queue (the attempt does not count), with job_events
-- rows and a wake-up.
--
-- Parameters: $1 text the worker (the lease owner); $2 bigint[] the jobs' ids.
WITH u AS (
  UPDATE jobs SET state = 'queued', attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL,
    started_at = NULL
  WHERE id = ANY($2) AND lease_owner = $1
  RETURNING id),
e AS (INSERT INTO job_events (job_id, from_state, to_state, worker, detail)
      SELECT id, 'running', 'queued', $1, 'handed back unstarted' FROM u)
SELECT id, pg_notify('jobs_queued', id::text) FROM u
