-- cancel_queued.sql: cancels a job that has not started; returns its id when it was still queued.
--
-- Parameters: $1 bigint the job's id.
WITH u AS (
  UPDATE jobs SET state = 'cancelled', finished_at = now() WHERE id = $1 AND state = 'queued' RETURNING id),
e AS (INSERT INTO job_events (job_id, from_state, to_state, detail)
      SELECT id, 'queued', 'cancelled', 'cancelled by request' FROM u)
SELECT id FROM u
