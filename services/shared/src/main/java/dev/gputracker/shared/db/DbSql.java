package dev.gputracker.shared.db;

/** The SQL of the shared module: catalog seeding and health checks. */
final class DbSql {
  static final String UPSERT_GPU_MODEL =
      "INSERT INTO gpu_models (slug, vendor, family, name, segment, vram_gb, memory_type, memory_bandwidth_gbs,"
          + " fp32_tflops, fp16_tflops, tdp_w, release_year, perf_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (slug) DO UPDATE SET vendor = EXCLUDED.vendor, family = EXCLUDED.family,"
          + " name = EXCLUDED.name, segment = EXCLUDED.segment, vram_gb = EXCLUDED.vram_gb,"
          + " memory_type = EXCLUDED.memory_type, memory_bandwidth_gbs = EXCLUDED.memory_bandwidth_gbs,"
          + " fp32_tflops = EXCLUDED.fp32_tflops, fp16_tflops = EXCLUDED.fp16_tflops, tdp_w = EXCLUDED.tdp_w,"
          + " release_year = EXCLUDED.release_year, perf_index = EXCLUDED.perf_index";

  static final String PING = "SELECT 1";

  private DbSql() {}
}
