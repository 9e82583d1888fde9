-- The listing search joins one catalog table instead of two. Its custom plans are made afresh for every request
-- (PostgreSQL keeps custom plans for it: its generic plan looks dearer), and planning the join of listings, sources,
-- gpu_models and gpu_benchmark_summary cost about 0.3 ms more than without the summary: a fifth of the search's
-- whole database time. The one figure the search reads from the summary, the measured FP32 TFLOPS, is now kept on
-- the model's catalog row as well, by a trigger, so it can never disagree with the summary.
ALTER TABLE gpu_models ADD COLUMN measured_fp32_tflops numeric(10, 3) CHECK (measured_fp32_tflops > 0);

UPDATE gpu_models g SET measured_fp32_tflops = s.fp32_tflops FROM gpu_benchmark_summary s WHERE s.gpu_slug = g.slug;

CREATE FUNCTION gpu_models_follow_benchmark_summary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.gpu_slug <> NEW.gpu_slug) THEN
    UPDATE gpu_models SET measured_fp32_tflops = NULL
    WHERE slug = OLD.gpu_slug AND measured_fp32_tflops IS NOT NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE gpu_models SET measured_fp32_tflops = NEW.fp32_tflops
    WHERE slug = NEW.gpu_slug AND measured_fp32_tflops IS DISTINCT FROM NEW.fp32_tflops;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER gpu_benchmark_summary_to_models
  AFTER INSERT OR UPDATE OR DELETE ON gpu_benchmark_summary
  FOR EACH ROW EXECUTE FUNCTION gpu_models_follow_benchmark_summary();
