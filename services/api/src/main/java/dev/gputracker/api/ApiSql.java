package dev.gputracker.api;

/**
 * Every SQL statement the API runs, in one place. Listing searches are assembled only from the fixed fragments
 * below, each with {@code $n} placeholders numbered by {@code ListingQuery}; client text never becomes SQL.
 */
public final class ApiSql {
  private ApiSql() {}

  public static final String SELECT = """
      SELECT l.id, s.name AS source, l.external_id, l.kind, l.title, l.gpu_slug, g.vendor, l.price::text AS price,
             l.currency, l.price_unit, l.price_usd::text AS price_usd, l.gpu_count, l.vram_gb::text AS vram_gb,
             l.condition, l.location, l.seller, l.url, l.sponsored, l.first_seen_at, l.last_seen_at,
             l.price_changed_at, l.active, l.removed_at
      FROM listings l
      JOIN sources s ON s.id = l.source_id
      LEFT JOIN gpu_models g ON g.slug = l.gpu_slug
      """;

  public static final String GPU_IN = "l.gpu_slug = ANY($%d::text[])";
  public static final String VENDOR = "g.vendor = $%d";
  public static final String KIND = "l.kind = $%d";
  public static final String CONDITION = "l.condition = $%d";
  public static final String SOURCE = "s.name = $%d";
  public static final String MIN_PRICE = "l.price_usd >= $%d::text::numeric";
  public static final String MAX_PRICE = "l.price_usd <= $%d::text::numeric";
  public static final String MIN_VRAM = "coalesce(l.vram_gb, g.vram_gb) >= $%d::text::numeric";
  public static final String GPU_COUNT = "l.gpu_count = $%d";
  public static final String LOCATION = "lower(l.location) = lower($%d)";
  public static final String TITLE_CONTAINS = "l.title ILIKE '%%' || $%d || '%%'";
  public static final String ACTIVE = "l.active = $%d";
  public static final String PRICED = "l.price_usd IS NOT NULL";

  /** Each source with its listing counts, its rejected listings by reason, and its latest run. */
  public static final String SOURCES = """
      SELECT s.id, s.name, s.adapter, s.base_url, s.enabled,
             (SELECT count(*) FROM listings l WHERE l.source_id = s.id AND l.active)::int AS active_listings,
             (SELECT count(*) FROM listings l WHERE l.source_id = s.id)::int AS total_listings,
             (SELECT coalesce(json_object_agg(reason, n), '{}'::json)::text FROM
                (SELECT reason, count(*) AS n FROM rejected_listings r WHERE r.source_id = s.id GROUP BY reason) x)
               AS rejected,
             last.run_id, last.status AS last_status, last.started_at AS last_started_at,
             last.finished_at AS last_finished_at, last.listings_seen AS last_seen, last.errors AS last_errors,
             last.error_message AS last_error
      FROM sources s
      LEFT JOIN LATERAL (SELECT * FROM scrape_run_sources rs WHERE rs.source_id = s.id
                         ORDER BY rs.run_id DESC LIMIT 1) last ON true
      ORDER BY s.name
      """;

  /** Runs, newest first, keyset-paginated on id. */
  public static final String RUNS = """
      SELECT r.id, r.worker_id, r.mode, r.status, r.started_at, r.finished_at,
             coalesce(sum(rs.pages), 0)::int AS pages, coalesce(sum(rs.listings_seen), 0)::int AS listings_seen,
             coalesce(sum(rs.listings_new), 0)::int AS listings_new,
             coalesce(sum(rs.listings_updated), 0)::int AS listings_updated,
             coalesce(sum(rs.listings_removed), 0)::int AS listings_removed,
             coalesce(sum(rs.listings_rejected), 0)::int AS listings_rejected,
             coalesce(sum(rs.errors), 0)::int AS errors
      FROM scrape_runs r LEFT JOIN scrape_run_sources rs ON rs.run_id = r.id
      WHERE r.id < $1
      GROUP BY r.id
      ORDER BY r.id DESC
      LIMIT $2
      """;

  public static final String RUN = """
      SELECT id, worker_id, mode, status, started_at, finished_at FROM scrape_runs WHERE id = $1
      """;

  public static final String RUN_SOURCES = """
      SELECT s.name AS source, rs.status, rs.pages, rs.listings_seen, rs.listings_new, rs.listings_updated,
             rs.listings_removed, rs.listings_rejected, rs.errors, rs.error_message, rs.started_at, rs.finished_at,
             rs.duration_ms
      FROM scrape_run_sources rs JOIN sources s ON s.id = rs.source_id
      WHERE rs.run_id = $1
      ORDER BY s.name
      """;

  /** Rejected listings, newest first, keyset-paginated on id, optionally by source and reason. */
  public static final String REJECTED = """
      SELECT r.id, s.name AS source, r.external_id, r.title, r.reason, r.detail, r.gpu_slug, r.price::text AS price,
             r.currency, r.price_usd::text AS price_usd, r.url, r.first_seen_at, r.last_seen_at
      FROM rejected_listings r JOIN sources s ON s.id = r.source_id
      WHERE r.id < $1 AND ($2::text IS NULL OR s.name = $2) AND ($3::text IS NULL OR r.reason = $3)
      ORDER BY r.id DESC
      LIMIT $4
      """;
}
