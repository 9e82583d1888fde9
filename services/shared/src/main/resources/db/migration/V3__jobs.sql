-- Compute job queue: jobs, their state history, and the workers that run them.
CREATE TABLE jobs (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('container', 'command', 'gpu-benchmark', 'noop')),
  image            text,
  command          text[] NOT NULL DEFAULT '{}',
  env              jsonb NOT NULL DEFAULT '{}',
  gpus             int NOT NULL DEFAULT 0 CHECK (gpus >= 0),
  min_vram_gb      numeric CHECK (min_vram_gb IS NULL OR min_vram_gb >= 0),
  timeout_seconds  int NOT NULL DEFAULT 3600 CHECK (timeout_seconds > 0),
  priority         int NOT NULL DEFAULT 0,
  max_attempts     int NOT NULL DEFAULT 3 CHECK (max_attempts > 0),
  state            text NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'dead')),
  attempts         int NOT NULL DEFAULT 0,
  cancel_requested boolean NOT NULL DEFAULT false,
  lease_owner      text,
  lease_expires_at timestamptz,
  idempotency_key  text UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz,
  exit_code        int,
  log_tail         text CHECK (log_tail IS NULL OR length(log_tail) <= 65536),
  result           jsonb,
  error            text
);

-- Claiming: the highest priority, oldest queued jobs first.
CREATE INDEX jobs_claim_idx ON jobs (priority DESC, id) WHERE state = 'queued';
-- Reaping: running jobs by lease expiry.
CREATE INDEX jobs_lease_idx ON jobs (lease_expires_at) WHERE state = 'running';
-- API listing by state / kind, newest first.
CREATE INDEX jobs_state_idx ON jobs (state, id DESC);
CREATE INDEX jobs_kind_idx ON jobs (kind, id DESC);

CREATE TABLE job_events (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id     bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  from_state text,
  to_state   text NOT NULL,
  worker     text,
  detail     text
);
CREATE INDEX job_events_job_idx ON job_events (job_id, id);

CREATE TABLE workers (
  id           text PRIMARY KEY,
  host         text NOT NULL,
  gpus         jsonb NOT NULL DEFAULT '[]',
  capacity     int NOT NULL,
  version      text,
  started_at   timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  stopped_at   timestamptz
);
