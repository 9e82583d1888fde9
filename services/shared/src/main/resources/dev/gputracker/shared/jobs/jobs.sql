-- Jobs, newest first, keyset-paginated on id, optionally of one state and one kind (the partial
-- indexes (state, id DESC) and (kind, id DESC) of V3 serve it).
-- $1 bigint: the cursor, jobs with a smaller id (Long.MAX_VALUE for the first page).
-- $2 text: a state, or null for every state.
-- $3 text: a kind, or null for every kind.
-- $4 int: the rows to read.

SELECT id, kind, state, priority, attempts, max_attempts, gpus, exit_code, lease_owner, created_at,
       started_at, finished_at, error
FROM jobs
WHERE id < $1 AND ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR kind = $3)
ORDER BY id DESC
LIMIT $4
