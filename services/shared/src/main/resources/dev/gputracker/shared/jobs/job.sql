-- One job, for the API and the operator's `jobs show` alike. Only the names of its environment
-- variables (env_keys): their values may be credentials, and the API is public read. The log is its
-- last characters only; log_truncated says whether more was kept.
-- $1 bigint: the job's id.
-- $2 int: the log characters to return (the API: 16 KiB; the CLI: the whole 64 KiB the worker keeps).

SELECT id, kind, image, command, ARRAY(SELECT jsonb_object_keys(env) ORDER BY 1) AS env_keys, gpus,
       min_vram_gb::text AS min_vram_gb, network, memory_mb, cpus::text AS cpus, timeout_seconds, priority,
       max_attempts, state, attempts,
       cancel_requested, lease_owner, lease_expires_at, idempotency_key, created_at, started_at, finished_at,
       exit_code, right(log_tail, $2) AS log_tail, coalesce(length(log_tail) > $2, false) AS log_truncated,
       result, error
FROM jobs WHERE id = $1
