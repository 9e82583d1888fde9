-- Fewer index entries per job state change. A job's row is rewritten (never a HOT update: state is indexed) when it
-- is claimed and when it completes, and every index gets a new entry each time, so each index is paid for twice per
-- job. Measured with bench/jobs.sh.
--
-- jobs_kind_idx served no query: the API lists jobs newest first with optional state and kind filters, which reads
-- the primary key backwards.
DROP INDEX jobs_kind_idx;

-- Most jobs have no idempotency key: a unique index over only the keyed rows keeps NULLs out of it (submission's
-- ON CONFLICT names the same predicate).
ALTER TABLE jobs DROP CONSTRAINT jobs_idempotency_key_key;
CREATE UNIQUE INDEX jobs_idempotency_key_idx ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL;

-- The job events trigger joined the batch's new events to jobs; a transition table has no statistics, so the planner
-- hashed the whole jobs table for every batch (55 ms per 500 events at 50,000 jobs, growing with the table). A
-- correlated subquery reads each job by its primary key instead.
CREATE OR REPLACE FUNCTION job_events_to_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox (type, source, subject, key, data)
    SELECT 'job.state_changed', '/gpu-tracker/worker', 'job/' || e.job_id, 'job-' || e.job_id,
           (SELECT jsonb_build_object('job_id', e.job_id, 'kind', j.kind, 'from', e.from_state, 'to', e.to_state,
                                      'worker', e.worker, 'detail', e.detail, 'attempts', j.attempts,
                                      'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
            FROM jobs j WHERE j.id = e.job_id)
    FROM new_events e
    ORDER BY e.id;
    RETURN NULL;
END
$$;

-- A lease exists only while a job runs: every statement that takes a job out of 'running' clears it. The queue's
-- statements rely on that (they test the lease owner, not the state, so the planner reaches rows by primary key).
ALTER TABLE jobs ADD CONSTRAINT jobs_lease_only_while_running CHECK (lease_owner IS NULL OR state = 'running');
