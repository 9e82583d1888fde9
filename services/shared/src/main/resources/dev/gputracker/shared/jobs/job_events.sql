-- A job's state history, oldest first, cut after a number of changes.
-- $1 bigint: the job's id.
-- $2 int: the changes to read (the caller's most, plus one to tell it was cut).

SELECT at, from_state, to_state, worker, detail FROM job_events WHERE job_id = $1 ORDER BY id LIMIT $2
