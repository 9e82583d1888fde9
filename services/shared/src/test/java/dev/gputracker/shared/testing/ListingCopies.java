package dev.gputracker.shared.testing;

/** The check every test of V16's stored listing copies makes, in one place. */
public final class ListingCopies {
  private ListingCopies() {}

  /**
   * Counts the listings whose stored copies (source name, vendor, performance index, the three
   * figures) differ from what the listing search computed over its joins before V16: zero when
   * every copy is exact.
   */
  public static final String STALE =
      """
      SELECT count(*) FROM listings l JOIN sources s ON s.id = l.source_id
      LEFT JOIN gpu_models g ON g.slug = l.gpu_slug
      WHERE l.source_name IS DISTINCT FROM s.name OR l.vendor IS DISTINCT FROM g.vendor
         OR l.perf_index IS DISTINCT FROM g.perf_index
         OR l.price_per_gb::text IS DISTINCT FROM
            round(l.price_usd / l.gpu_count / nullif(coalesce(l.vram_gb, g.vram_gb), 0), 4)::text
         OR l.price_per_tflop::text IS DISTINCT FROM
            round(l.price_usd / l.gpu_count / nullif(coalesce(g.measured_fp32_tflops, g.fp32_tflops), 0), 4)::text
         OR l.value::text IS DISTINCT FROM round(g.perf_index * l.gpu_count
            * (CASE WHEN l.kind = 'sale' THEN 100 ELSE 1 END) / nullif(l.price_usd, 0), 4)::text
      """;
}
