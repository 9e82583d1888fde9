-- Per-job container limits: network access (off unless the job asks), memory and CPUs. NULL limits take the
-- worker's defaults (CONTAINER_MEMORY_MB, CONTAINER_CPUS).
ALTER TABLE jobs
  ADD COLUMN network boolean NOT NULL DEFAULT false,
  ADD COLUMN memory_mb int CHECK (memory_mb IS NULL OR memory_mb BETWEEN 6 AND 4194304),
  ADD COLUMN cpus numeric CHECK (cpus IS NULL OR (cpus > 0 AND cpus <= 1024));
