-- What gpu-benchmark jobs measured: one row per job and device. Figures are null where that part was not measured
-- (FP32 needs cuBLAS on the worker). A re-run of the same job (its lease was lost) replaces its rows, hence the key.
-- The job may be deleted some day; its measurements stay.
CREATE TABLE gpu_benchmarks (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id             bigint REFERENCES jobs (id) ON DELETE SET NULL,
  worker             text NOT NULL,
  device_index       int NOT NULL CHECK (device_index >= 0),
  device_name        text NOT NULL,
  -- The catalog model the device name maps to; null for devices the catalog does not know.
  gpu_slug           text REFERENCES gpu_models (slug),
  memory_mb          bigint CHECK (memory_mb >= 0),
  compute_capability text,
  h2d_gbs            numeric(10, 2) CHECK (h2d_gbs > 0),
  d2h_gbs            numeric(10, 2) CHECK (d2h_gbs > 0),
  d2d_gbs            numeric(10, 2) CHECK (d2d_gbs > 0),
  fp32_tflops        numeric(10, 3) CHECK (fp32_tflops > 0),
  measured_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT gpu_benchmarks_job_device_uk UNIQUE (job_id, device_index)
);
-- A model's measurements, newest first (the summary below is recomputed from them per model).
CREATE INDEX gpu_benchmarks_slug_idx ON gpu_benchmarks (gpu_slug, measured_at DESC) WHERE gpu_slug IS NOT NULL;

-- Per catalog model, the medians of its measurements: what /api/gpus and the listings' price per TFLOP read. A
-- small table joined by its primary key rather than a view, because the listings search is the API's hottest
-- query and must not aggregate gpu_benchmarks on every request. The worker rewrites a model's row in the
-- transaction that adds its measurements.
CREATE TABLE gpu_benchmark_summary (
  gpu_slug         text PRIMARY KEY REFERENCES gpu_models (slug),
  benchmarks       int NOT NULL CHECK (benchmarks > 0),
  fp32_benchmarks  int NOT NULL CHECK (fp32_benchmarks >= 0),
  fp32_tflops      numeric(10, 3) CHECK (fp32_tflops > 0),
  h2d_gbs          numeric(10, 2),
  d2h_gbs          numeric(10, 2),
  d2d_gbs          numeric(10, 2),
  last_measured_at timestamptz NOT NULL
);
