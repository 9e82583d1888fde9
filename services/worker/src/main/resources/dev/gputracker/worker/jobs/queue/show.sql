-- show.sql: one job with all its columns, times as text.
--
-- Parameters: $1 bigint the job's id.
SELECT id, kind, image, command, env, gpus, min_vram_gb::float8 AS min_vram_gb, network, memory_mb,
  cpus::float8 AS cpus, timeout_seconds, priority, max_attempts, state, attempts, cancel_requested, lease_owner, lease_expires_at::text, idempotency_key,
  created_at::text, started_at::text, finished_at::text, exit_code, log_tail, result, error
FROM jobs WHERE id = $1
