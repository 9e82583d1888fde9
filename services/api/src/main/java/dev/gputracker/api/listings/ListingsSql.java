package dev.gputracker.api.listings;

/**
 * The SQL of the listings resource. The WHERE clause is assembled only from the fixed fragments below, each with
 * {@code $n} placeholders numbered by {@link ListingQuery}; client text never becomes SQL.
 */
final class ListingsSql {
  private ListingsSql() {}

  static final String SELECT = """
      SELECT l.id, s.name AS source, l.external_id, l.kind, l.title, l.gpu_slug, g.vendor, l.price::text AS price,
             l.currency, l.price_unit, l.price_usd::text AS price_usd, l.gpu_count, l.vram_gb::text AS vram_gb,
             l.condition, l.location, l.seller, l.url, l.sponsored, l.first_seen_at, l.last_seen_at,
             l.price_changed_at, l.active, l.removed_at
      FROM listings l
      JOIN sources s ON s.id = l.source_id
      LEFT JOIN gpu_models g ON g.slug = l.gpu_slug
      """;

  static final String GPU_IN = "l.gpu_slug = ANY($%d::text[])";
  static final String VENDOR = "g.vendor = $%d";
  static final String KIND = "l.kind = $%d";
  static final String CONDITION = "l.condition = $%d";
  static final String SOURCE = "s.name = $%d";
  static final String MIN_PRICE = "l.price_usd >= $%d::text::numeric";
  static final String MAX_PRICE = "l.price_usd <= $%d::text::numeric";
  static final String MIN_VRAM = "coalesce(l.vram_gb, g.vram_gb) >= $%d::text::numeric";
  static final String GPU_COUNT = "l.gpu_count = $%d";
  static final String LOCATION = "lower(l.location) = lower($%d)";
  static final String TITLE_CONTAINS = "l.title ILIKE '%%' || $%d || '%%'";
  static final String ACTIVE = "l.active = $%d";
  static final String PRICED = "l.price_usd IS NOT NULL";
}
