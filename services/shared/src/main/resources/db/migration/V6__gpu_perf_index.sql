-- Relative gaming performance per model from a published benchmark hierarchy (catalog/gpu-performance.csv names it),
-- for value-per-price figures. Null where the hierarchy does not test the model. The seed migration fills it.
ALTER TABLE gpu_models ADD COLUMN perf_index numeric(6, 1) CHECK (perf_index > 0);
