-- list.sql: jobs newest first (the primary key read backwards), optionally of one state and one kind.
--
-- Parameters: $1 text the state (null: any); $2 text the kind (null: any); $3 int how many at most.
SELECT id, kind, state, priority, attempts, exit_code, created_at::text FROM jobs
WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR kind = $2)
ORDER BY id DESC LIMIT $3
