-- cancel_running.sql: asks the worker running a job to stop it (it reads cancel_requested at its next heartbeat);
-- returns the id when the job was running.
--
-- Parameters: $1 bigint the job's id.
WITH u AS (
  UPDATE jobs SET cancel_requested = true WHERE id = $1 AND state = 'running' RETURNING id, lease_owner),
e AS (INSERT INTO job_events (job_id, from_state, to_state, worker, detail)
      SELECT id, 'running', 'running', lease_owner, 'cancel requested' FROM u)
SELECT id FROM u
