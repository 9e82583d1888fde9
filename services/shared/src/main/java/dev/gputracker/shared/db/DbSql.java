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

  /**
   * The outbox after a position, in position order, only from transactions older than every running
   * one (see V9__outbox.sql): whatever commits later sorts after what this returns.
   */
  /**
   * The outbox after a position, in position order, only from transactions older than every running
   * one (see V9__outbox.sql): whatever commits later sorts after what this returns. The payload
   * comes as JSON text, passed through without parsing. The output column tx is the number;
   * ordering by it would sort every row, so the order is the table's (o.tx), which the (tx, id)
   * index already holds.
   */
  static final String OUTBOX_AFTER =
      """
      SELECT o.id, o.tx::text::bigint AS tx, o.event_id, o.type, o.source, o.subject, o.key, o.gpu, o.time,
             o.data::text AS data
      FROM outbox o
      WHERE (o.tx, o.id) > ($1::text::xid8, $2::bigint) AND o.tx < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
      ORDER BY o.tx, o.id
      LIMIT $3
      """;

  /**
   * The position of the newest event every reader can already see: where a stream without history
   * starts.
   */
  static final String OUTBOX_END =
      """
      SELECT o.tx::text::bigint AS tx, o.id FROM outbox o
      WHERE o.tx < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
      ORDER BY o.tx DESC, o.id DESC
      LIMIT 1
      """;

  private DbSql() {}
}
