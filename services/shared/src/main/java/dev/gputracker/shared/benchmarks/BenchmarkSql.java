package dev.gputracker.shared.benchmarks;

/** Every SQL statement of gpu-benchmark measurements and the per-model medians built from them. */
final class BenchmarkSql {
  private BenchmarkSql() {}

  /**
   * Serialises benchmark writes (they are rare) so that each summary below is computed after every
   * earlier writer committed: under READ COMMITTED a statement that starts after this lock sees
   * their rows.
   */
  static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('gpu_benchmarks'))";

  /**
   * One device's figures; a re-run of the same job replaces its row. A slug this database's catalog
   * lacks (a worker newer than the schema) is stored as null rather than failing the write.
   */
  static final String INSERT =
      """
      INSERT INTO gpu_benchmarks (job_id, worker, device_index, device_name, gpu_slug, memory_mb, compute_capability,
                                  h2d_gbs, d2h_gbs, d2d_gbs, fp32_tflops)
      VALUES ($1, $2, $3, $4, (SELECT slug FROM gpu_models WHERE slug = $5), $6, $7,
              round($8::float8::numeric, 2), round($9::float8::numeric, 2), round($10::float8::numeric, 2),
              round($11::float8::numeric, 3))
      ON CONFLICT (job_id, device_index) DO UPDATE SET
        worker = EXCLUDED.worker, device_name = EXCLUDED.device_name, gpu_slug = EXCLUDED.gpu_slug,
        memory_mb = EXCLUDED.memory_mb, compute_capability = EXCLUDED.compute_capability,
        h2d_gbs = EXCLUDED.h2d_gbs, d2h_gbs = EXCLUDED.d2h_gbs, d2d_gbs = EXCLUDED.d2d_gbs,
        fp32_tflops = EXCLUDED.fp32_tflops, measured_at = now()""";

  /**
   * Recomputes the medians of the models in {@code $1} from all their measurements (nulls are left
   * out).
   */
  static final String SUMMARIZE =
      """
      INSERT INTO gpu_benchmark_summary (gpu_slug, benchmarks, fp32_benchmarks, fp32_tflops, h2d_gbs, d2h_gbs, d2d_gbs,
                                         last_measured_at)
      SELECT gpu_slug, count(*), count(fp32_tflops),
             round(percentile_cont(0.5) WITHIN GROUP (ORDER BY fp32_tflops::float8)::numeric, 3),
             round(percentile_cont(0.5) WITHIN GROUP (ORDER BY h2d_gbs::float8)::numeric, 2),
             round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d2h_gbs::float8)::numeric, 2),
             round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d2d_gbs::float8)::numeric, 2),
             max(measured_at)
      FROM gpu_benchmarks
      WHERE gpu_slug = ANY($1::text[])
      GROUP BY gpu_slug
      ON CONFLICT (gpu_slug) DO UPDATE SET
        benchmarks = EXCLUDED.benchmarks, fp32_benchmarks = EXCLUDED.fp32_benchmarks,
        fp32_tflops = EXCLUDED.fp32_tflops, h2d_gbs = EXCLUDED.h2d_gbs, d2h_gbs = EXCLUDED.d2h_gbs,
        d2d_gbs = EXCLUDED.d2d_gbs, last_measured_at = EXCLUDED.last_measured_at""";
}
