-- claim.sql: takes up to $4 queued jobs of the given kinds that fit the free GPUs, highest priority first, under a
-- lease, with their job_events rows.
--
-- Parameters: $1 text the worker; $2 float8[] the VRAM (GB) of each free local GPU (a job fits when at least gpus of
-- them have its min_vram_gb; jobs that need no GPU skip the test); $3 text[] the kinds this worker runs; $4 int how
-- many at most; $5 int the lease (seconds).
--
-- The update finds the chosen rows through id = ANY(ARRAY(...)), an index lookup per id: joined to the CTE instead,
-- the planner hashed the whole jobs table for every claim (55 ms per 500 jobs at 50,000 rows, and growing).
WITH c AS (
  SELECT id FROM jobs
  WHERE state = 'queued' AND kind = ANY($3)
    AND (gpus = 0 OR (SELECT count(*) FROM unnest($2::float8[]) AS free(gb)
                      WHERE free.gb >= coalesce(min_vram_gb::float8, 0)) >= gpus)
  ORDER BY priority DESC, id
  LIMIT $4
  FOR UPDATE SKIP LOCKED),
u AS (
  UPDATE jobs j SET state = 'running', attempts = j.attempts + 1, lease_owner = $1,
    lease_expires_at = now() + make_interval(secs => $5), started_at = now()
  WHERE j.id = ANY(ARRAY(SELECT id FROM c))
  RETURNING j.id, j.kind, j.image, j.command, j.env, j.gpus, j.min_vram_gb::float8 AS min_vram_gb,
    j.timeout_seconds, j.attempts, j.network, j.memory_mb, j.cpus::float8 AS cpus),
e AS (INSERT INTO job_events (job_id, from_state, to_state, worker) SELECT id, 'queued', 'running', $1 FROM u)
SELECT * FROM u ORDER BY id
