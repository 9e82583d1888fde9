-- reap.sql: jobs whose lease expired (their worker died) go back to the queue, or to dead after their last attempt,
-- with job_events rows and a wake-up for the queued ones. Rows another reaper holds are skipped.
--
-- No parameters. Returns each reaped job's id and new state.
WITH x AS (
  SELECT id, lease_owner FROM jobs WHERE state = 'running' AND lease_expires_at < now()
  FOR UPDATE SKIP LOCKED),
u AS (
  UPDATE jobs j SET state = CASE WHEN j.attempts >= j.max_attempts THEN 'dead' ELSE 'queued' END,
    lease_owner = NULL, lease_expires_at = NULL,
    finished_at = CASE WHEN j.attempts >= j.max_attempts THEN now() END
  FROM x WHERE j.id = ANY(ARRAY(SELECT id FROM x)) AND j.id = x.id
  RETURNING j.id, j.state, x.lease_owner AS owner),
e AS (INSERT INTO job_events (job_id, from_state, to_state, worker, detail)
      SELECT id, 'running', state, owner, 'lease expired' FROM u)
SELECT id, state, pg_notify('jobs_queued', id::text) FROM u
