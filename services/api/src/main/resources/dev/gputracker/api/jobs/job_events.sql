-- A job's state history, oldest first, cut after a number of changes.
-- Template: %d the changes read (ApiSql.JOB_EVENTS_MAX, plus one to tell it was cut).
-- $1 bigint: the job's id.

SELECT at, from_state, to_state, worker, detail FROM job_events WHERE job_id = $1 ORDER BY id LIMIT %d
