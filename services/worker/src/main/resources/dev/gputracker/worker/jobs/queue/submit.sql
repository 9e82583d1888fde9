-- submit.sql: queues a job, once per idempotency key (a key already queued returns no row), with its job_events row
-- (the trigger of V9 turns it into job.state_changed) and a wake-up on the jobs_queued channel.
--
-- Parameters: $1 text kind; $2 text image; $3 text[] command; $4 jsonb env; $5 int gpus; $6 float8 min VRAM (GB);
-- $7 int timeout (seconds); $8 int priority; $9 int max attempts; $10 text idempotency key (null: none); $11 boolean
-- network; $12 int memory (MB); $13 float8 cpus.
-- Returns the new job's id (no row when the key was already queued).
WITH j AS (
  INSERT INTO jobs (kind, image, command, env, gpus, min_vram_gb, timeout_seconds, priority, max_attempts,
                    idempotency_key, network, memory_mb, cpus)
  VALUES ($1, $2, $3, $4, $5, $6::float8::numeric, $7, $8, $9, $10, $11, $12, $13::float8::numeric)
  ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
  RETURNING id),
e AS (INSERT INTO job_events (job_id, from_state, to_state, detail) SELECT id, NULL, 'queued', 'submitted' FROM j)
SELECT id, pg_notify('jobs_queued', id::text) FROM j
