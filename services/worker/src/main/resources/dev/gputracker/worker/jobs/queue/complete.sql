-- complete.sql: completes a whole batch in one statement, so the job_events insert and its outbox trigger run once
-- per batch instead of once per job.
--
-- Parameters: $1 text the worker (the lease owner); $2 bigint[] the jobs' ids; $3 jsonb each id's outcome (state,
-- exit_code, log_tail, result, error; absent keys are NULL).
-- Returns n (int): how many jobs this worker still held and completed.
--
-- Why not unnest the outcomes and join them: the planner believes lease_owner = $1 matches one row, so it nested-looped
-- the whole batch against itself (0.2 s per 500 jobs) or scanned the running jobs' partial index and its dead entries.
-- Without a join the only sensible plan is the primary key lookup of ANY($2). The lease owner alone decides (a CHECK
-- ties it to running), so no state test lures the planner to the partial indexes.
WITH u AS (
  UPDATE jobs j SET state = $3::jsonb -> j.id::text ->> 'state',
    exit_code = ($3::jsonb -> j.id::text ->> 'exit_code')::int,
    log_tail = $3::jsonb -> j.id::text ->> 'log_tail',
    result = $3::jsonb -> j.id::text -> 'result',
    error = $3::jsonb -> j.id::text ->> 'error',
    finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
  WHERE j.id = ANY($2) AND j.lease_owner = $1
  RETURNING j.id, j.state, j.error),
e AS (INSERT INTO job_events (job_id, from_state, to_state, worker, detail)
      SELECT id, 'running', state, $1, error FROM u ORDER BY id)
SELECT count(*)::int AS n FROM u
