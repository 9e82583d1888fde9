package dev.gputracker.api;

/**
 * Every SQL statement the API runs, in one place. Listing searches are assembled only from the
 * fixed fragments below, each with {@code $n} placeholders numbered by {@code ListingQuery}; client
 * text never becomes SQL.
 */
public final class ApiSql {
  private ApiSql() {}

  /**
   * A listing's comparable figures, per GPU, in USD: price per GB of VRAM, price per FP32 TFLOP,
   * and value (the model's benchmark-hierarchy performance index per 100 USD of a sale price, or
   * per USD of an hourly rental price). Stored on the listing (V16: {@code listing_price_per_gb()}
   * and its siblings define them; the worker's upsert writes them, triggers keep them exact through
   * every other change), so a search neither joins the catalog nor divides per row, and the figure
   * orders walk an index. The sort orders key on the same columns, so a cursor carries exactly the
   * value shown.
   *
   * <p>FP32 TFLOPS are the median that gpu-benchmark jobs measured for the model where there is
   * one, else the catalog's peak figure.
   */
  public static final String PRICE_PER_GB = "l.price_per_gb";

  /**
   * Cancels the running statements of the stopping API's own backends (by process id; the
   * application name guards against a process id the server has since given to someone else).
   */
  public static final String CANCEL_BACKENDS =
      "SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
          + " WHERE pid = ANY($1::int[]) AND application_name = 'gpu-tracker-api' AND state = 'active'";

  public static final String PRICE_PER_TFLOP = "l.price_per_tflop";
  public static final String VALUE = "l.value";

  /**
   * A listing's columns, all from its own row: the source's name, the model's vendor and
   * performance index and the figures are V16's stored copies. Prices are written in their
   * currency's minor units ({@code money_text}, V25); {@code price_usd_key} is the exact USD price
   * the price orders' cursors carry. The catalog join is there for the filters that need a catalog
   * figure ({@code min_vram}); PostgreSQL removes it from every plan that reads nothing from it
   * (gpu_models.slug is unique), which is every search without that filter.
   */
  private static final String COLUMNS =
      """
      l.id, l.source_name AS source, l.external_id, l.kind, l.title, l.gpu_slug, l.vendor,
      money_text(l.price, l.currency, l.price_unit = 'hour') AS price, l.currency, l.price_unit,
      money_text(l.price_usd, 'USD', l.price_unit = 'hour') AS price_usd, l.price_usd::text AS price_usd_key, l.gpu_count,
      l.vram_gb::text AS vram_gb, l.condition, l.location, l.seller, l.url, l.sponsored, l.first_seen_at,
      l.last_seen_at, l.price_changed_at, l.active, l.removed_at, l.price_per_gb::text AS price_per_gb,
      l.price_per_tflop::text AS price_per_tflop, l.value::text AS value, l.perf_index::text AS perf_index""";

  private static final String FROM =
      """

      FROM listings l
      LEFT JOIN gpu_models g ON g.slug = l.gpu_slug
      """;

  public static final String SELECT = "SELECT " + COLUMNS + FROM;

  /**
   * The same listing columns plus the USD price shown in another currency ({@code $%1$d}: its ISO
   * code), in that currency's minor units, at the latest stored ECB rates when both it and USD have
   * one, else at the bundled ECB rates ({@code $%2$d}: the currency's, {@code $%3$d}: USD's, {@code
   * $%4$d}: their date); {@code fx_source} ({@code ecb}, {@code bundled}, or null when neither
   * knows the currency) and {@code fx_date} say which.
   */
  public static final String SELECT_CONVERTED =
      "SELECT "
          + COLUMNS
          + """
      , money_text(l.price_usd * fx.target_per_eur / fx.usd_per_eur, $%1$d::text, l.price_unit = 'hour') AS display_price,
        fx.source AS fx_source, fx.rate_date::text AS fx_date"""
          + FROM
          + """
      LEFT JOIN (
        SELECT CASE WHEN stored THEN s.target ELSE $%2$d::text::numeric END AS target_per_eur,
               CASE WHEN stored THEN s.usd ELSE $%3$d::text::numeric END AS usd_per_eur,
               CASE WHEN stored THEN 'ecb' WHEN $%2$d::text IS NOT NULL THEN 'bundled' END AS source,
               CASE WHEN stored THEN s.day WHEN $%2$d::text IS NOT NULL THEN $%4$d::text::date END AS rate_date
        FROM (SELECT *, target IS NOT NULL AND usd IS NOT NULL AS stored FROM (
                SELECT (CASE WHEN $%1$d = 'EUR' THEN 1 ELSE (SELECT per_eur FROM exchange_rates
                          WHERE currency = $%1$d ORDER BY rate_date DESC LIMIT 1) END) AS target,
                       (SELECT per_eur FROM exchange_rates WHERE currency = 'USD' ORDER BY rate_date DESC LIMIT 1) AS usd,
                       (SELECT max(rate_date) FROM exchange_rates WHERE currency = 'USD') AS day) r) s
      ) fx ON true
      """;

  /**
   * A sale listing's distance from its model's median sale price per GPU, in percent (negative
   * below it): the key of the {@code deal} order. The medians come from the API's market figures as
   * two arrays, slugs and medians ({@link #withDeal}); {@code listings.Deal} computes the same
   * figure for the other orders.
   */
  public static final String DEAL =
      "round((l.price_usd - med.median * l.gpu_count) * 100 / (med.median * l.gpu_count), 1)";

  /**
   * {@code select} (one of the listing selects above) with the {@link #DEAL} column {@code
   * vs_median_pct}, joined to the models' medians given as {@code $slugs::text[]} and {@code
   * $medians::text[]} (decimal strings): listings of a model without a median drop out, as they
   * have no place in the order. The arrays are sub-selects, so that a custom plan, like the generic
   * one, cannot count them: seeing 350 medians, the first five (custom) plans of each connection
   * joined every active sale by hash, 1.2-1.7 s at 2,000,000 listings, where the per-model index
   * ranges take 20 ms.
   */
  public static String withDeal(String select, int slugs, int medians) {
    return select.replace(
        FROM,
        ", "
            + DEAL
            + "::text AS vs_median_pct"
            + FROM
            + "JOIN unnest((SELECT $"
            + slugs
            + "::text[]), (SELECT $"
            + medians
            + "::text[]::numeric[])) AS med(slug, median)"
            + " ON med.slug = l.gpu_slug\n");
  }

  /**
   * The deal order without sorting every active sale (V27's market index), exactly: {@code %1$s}
   * the search's conditions (on {@code l}, {@code g} and {@code med}) but the deal's presence
   * (every priced sale has one), {@code $%2$d}/{@code $%3$d} the medians' slugs and values, {@code
   * %4$d} the rows wanted. Within a model, the deal is the price per GPU measured against one
   * median, so the model's cheapest listings per GPU are its best deals. The first phase reads, per
   * model, its {@code %5$d} cheapest from the index (band, then price per GPU: no heap access
   * without other filters; a share of the rows wanted, so that all models together give them) and
   * keeps {@code d}, the largest of the smallest {@code %4$d} values of 100 × (price per GPU ÷
   * median − 1) among them (no bound when they are fewer): at least that many listings are within
   * {@code d}, so their deals (that value computed from the listing's own price and GPU count,
   * rounded to 0.1) are at most round(d) + 0.1, and a listing whose value exceeds {@code d} + 0.3
   * has a deal of at least round(d) + 0.2: it cannot be on the page (the margin also covers numeric
   * division's rounding at 16 and more digits). The second phase reads, per model, the listings up
   * to that price by the same index and sorts those.
   */
  public static final String DEAL_BOUND =
      """
      WITH deal_bound AS (
        SELECT CASE WHEN count(*) < %4$d THEN 1e15 ELSE max(x.v) END AS d FROM (
          SELECT f.v FROM unnest((SELECT $%2$d::text[]), (SELECT $%3$d::text[]::numeric[])) AS med(slug, median)
          CROSS JOIN LATERAL (SELECT (l.price_per_gpu_usd / med.median - 1) * 100 AS v
                              FROM listings l LEFT JOIN gpu_models g ON g.slug = l.gpu_slug
                              WHERE l.gpu_slug = med.slug AND l.price_usd IS NOT NULL AND %1$s
                              ORDER BY l.market_band, l.price_per_gpu_usd LIMIT %5$d) f
          ORDER BY f.v LIMIT %4$d) x
      )
      """;

  /**
   * The second phase's bound on a listing of the deal order (see {@link #DEAL_BOUND}), an index
   * range.
   */
  public static final String DEAL_WITHIN_BOUND =
      "l.price_usd IS NOT NULL"
          + " AND l.market_band <= market_band(med.median * (1 + ((SELECT d FROM deal_bound) + 0.3) / 100))"
          + " AND l.price_per_gpu_usd <= med.median * (1 + ((SELECT d FROM deal_bound) + 0.3) / 100)";

  public static final String GPU_IN = "l.gpu_slug = ANY($%d::text[])";

  /**
   * One model: an equality, so the (gpu_slug, last_seen_at) and (gpu_slug, price_usd) indexes also
   * give the order.
   */
  public static final String GPU_EQ = "l.gpu_slug = $%d";

  public static final String VENDOR = "l.vendor = $%d";
  public static final String KIND = "l.kind = $%d";
  public static final String CONDITION = "l.condition = $%d";
  public static final String SOURCE = "l.source_name = $%d";

  /**
   * A numeric bound given as text ({@code $%d}), as a one-row sub-select rather than the parameter
   * itself. The planner then estimates a bound alike in a custom and a generic plan (it cannot look
   * a sub-select's value up in the histogram), so after five executions PostgreSQL keeps the
   * generic plan of a search instead of planning it afresh on every request: a third of the
   * search's database time for a search by GPU and price ceiling. The sub-select runs once per
   * execution, so the bound is converted once, not cast from text on every row.
   */
  private static final String NUMBER = "(SELECT $%d::text::numeric)";

  public static final String MIN_PRICE = "l.price_usd >= " + NUMBER;
  public static final String MAX_PRICE = "l.price_usd <= " + NUMBER;
  public static final String MIN_VRAM = "coalesce(l.vram_gb, g.vram_gb) >= " + NUMBER;
  public static final String GPU_COUNT = "l.gpu_count = $%d";
  public static final String LOCATION = "lower(l.location) = lower($%d)";

  /**
   * Full-text on the title; websearch syntax ("rtx 4090 -laptop", quoted phrases) never raises on
   * odd input.
   */
  public static final String TITLE_SEARCH = "l.title_tsv @@ websearch_to_tsquery('simple', $%d)";

  /**
   * Active or removed listings: fixed text, not a parameter, so that the planner can prove the
   * partial indexes' {@code WHERE active} from a generic plan too (with {@code l.active = $n} no
   * generic plan could use them).
   */
  public static final String ACTIVE = "l.active";

  public static final String REMOVED = "NOT l.active";

  /**
   * A search's Atom feed: the listings matching its conditions ({@code %s}, the search's own
   * fragments joined with AND) that were first seen or dropped their price (in the same currency)
   * in the last 30 days, newest first. A price history row without an earlier one is the listing's
   * first sighting; {@code previous_price} is null there.
   */
  public static final String FEED =
      """
      SELECT l.id, l.title, l.kind, l.gpu_slug, l.source_name AS source, l.url, l.price_unit, l.gpu_count,
             h.observed_at, money_text(h.price, h.currency, l.price_unit = 'hour') AS price, h.currency,
             money_text(h.price_usd, 'USD', l.price_unit = 'hour') AS price_usd,
             money_text(prev.price, prev.currency, l.price_unit = 'hour') AS previous_price,
             prev.currency AS previous_currency
      FROM price_history h
      JOIN listings l ON l.id = h.listing_id
      LEFT JOIN gpu_models g ON g.slug = l.gpu_slug
      LEFT JOIN LATERAL (SELECT p.price, p.currency, p.observed_at FROM price_history p
                         WHERE p.listing_id = h.listing_id AND p.observed_at < h.observed_at
                         ORDER BY p.observed_at DESC LIMIT 1) prev ON true
      WHERE h.observed_at > now() - interval '30 days'
        AND (prev.observed_at IS NULL OR (h.price < prev.price AND h.currency = prev.currency))
        AND %s
      ORDER BY h.observed_at DESC, h.listing_id DESC
      LIMIT 50
      """;

  /**
   * Which of the listings {@code $%2$d} (ids) match a live stream's search conditions ({@code
   * %1$s}, numbered from {@code $1}), whether active or not: a removed listing's event still
   * concerns the search it matched.
   */
  public static final String STREAM_MATCH =
      "SELECT l.id FROM listings l LEFT JOIN gpu_models g ON g.slug = l.gpu_slug"
          + " WHERE %1$s AND l.id = ANY($%2$d::bigint[])";

  /** Each source with its listing counts, its rejected listings by reason, and its latest run. */
  public static final String SOURCES =
      """
      SELECT s.id, s.name, s.adapter, s.base_url, s.enabled,
             (SELECT count(*) FROM listings l WHERE l.source_id = s.id AND l.active)::int AS active_listings,
             (SELECT count(*) FROM listings l WHERE l.source_id = s.id)::int AS total_listings,
             (SELECT coalesce(json_object_agg(reason, n), '{}'::json)::text FROM
                (SELECT reason, count(*) AS n FROM rejected_listings r WHERE r.source_id = s.id GROUP BY reason) x)
               AS rejected,
             last.run_id, last.status AS last_status, last.started_at AS last_started_at,
             last.finished_at AS last_finished_at, last.listings_seen AS last_seen, last.errors AS last_errors,
             last.error_message AS last_error,
             s.health, s.health_reason, s.health_changed_at,
             complete.run_id AS complete_run_id, complete.status AS complete_status,
             complete.finished_at AS complete_finished_at, complete.pages AS complete_pages,
             complete.listings_read AS complete_read, complete.listings_priced AS complete_priced,
             complete.listings_normalised AS complete_normalised, complete.listings_removed AS complete_removed,
             complete.pagination_depth AS complete_depth
      FROM sources s
      LEFT JOIN LATERAL (SELECT * FROM scrape_run_sources rs WHERE rs.source_id = s.id
                         ORDER BY rs.run_id DESC LIMIT 1) last ON true
      -- The latest run that read every page (trusted or suspect): what the source's health was judged on.
      LEFT JOIN LATERAL (SELECT * FROM scrape_run_sources rs WHERE rs.source_id = s.id
                           AND rs.status IN ('succeeded', 'suspect')
                         ORDER BY rs.run_id DESC LIMIT 1) complete ON true
      ORDER BY s.name
      """;

  /** Runs, newest first, keyset-paginated on id. */
  public static final String RUNS =
      """
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

  public static final String RUN =
      """
      SELECT id, worker_id, mode, status, started_at, finished_at FROM scrape_runs WHERE id = $1
      """;

  public static final String RUN_SOURCES =
      """
      SELECT s.name AS source, rs.status, rs.pages, rs.listings_seen, rs.listings_new, rs.listings_updated,
             rs.listings_removed, rs.listings_rejected, rs.errors, rs.error_message, rs.started_at, rs.finished_at,
             rs.duration_ms, rs.listings_read, rs.listings_priced, rs.listings_normalised, rs.pagination_depth,
             rs.rejected_by_reason::text AS rejected_by_reason, rs.health_reason
      FROM scrape_run_sources rs JOIN sources s ON s.id = rs.source_id
      WHERE rs.run_id = $1
      ORDER BY s.name
      """;

  /** Rejected listings, newest first, keyset-paginated on id, optionally by source and reason. */
  public static final String REJECTED =
      """
      SELECT r.id, s.name AS source, r.external_id, r.title, r.reason, r.detail, r.gpu_slug,
             money_text(r.price, r.currency, true) AS price, r.currency, money_text(r.price_usd, 'USD', true) AS price_usd,
             r.url, r.first_seen_at, r.last_seen_at
      FROM rejected_listings r JOIN sources s ON s.id = r.source_id
      WHERE r.id < $1 AND ($2::text IS NULL OR s.name = $2) AND ($3::text IS NULL OR r.reason = $3)
      ORDER BY r.id DESC
      LIMIT $4
      """;

  /** One listing by id (the same columns as a search). */
  public static final String LISTING = SELECT + " WHERE l.id = $1";

  /** A listing's whole price history, oldest first. */
  public static final String LISTING_HISTORY =
      """
      SELECT h.observed_at, money_text(h.price, h.currency, l.price_unit = 'hour') AS price, h.currency,
             money_text(h.price_usd, 'USD', l.price_unit = 'hour') AS price_usd
      FROM price_history h JOIN listings l ON l.id = h.listing_id
      WHERE h.listing_id = $1 ORDER BY h.observed_at
      """;

  /**
   * The catalog with live market figures per model over active listings priced in USD, all per GPU:
   * sales (min, median, 90th percentile) and rentals per GPU-hour (min, median). Medians are
   * computed in double precision by PostgreSQL and rounded back to 4 decimals, which is exact for
   * prices with at most 4 decimals. Price per FP32 TFLOP divides by the median measured by
   * gpu-benchmark jobs where the model has one, else by the catalog's figure; {@code
   * fp32_tflops_source} says which. {@code $1} is a slug or null for every model.
   *
   * <p>The figures are those of the aggregate over every active priced listing, without aggregating
   * them (V27): the listing counts per model, kind and price band ({@code gpu_market_bands}, kept
   * by triggers in the writing transaction) give each percentile's rank's band, and the rank is
   * read in that band of {@code listings_market_idx} (an offset within one band). The interpolation
   * is percentile_cont's, in double precision and in its order of operations, so the figures are
   * the aggregate's to the last digit (tested against it); the cost grows with the number of models
   * and bands, not of listings. That computation is {@code gpu_market_compute} (V30), and its rows
   * are stored per model ({@code gpu_market}): this statement reads the stored rows of the models
   * no write has marked since the worker's last refresh and computes the marked ones, in one
   * snapshot, so a cache miss with nothing written reads 350 rows instead of computing them.
   */
  private static final String GPUS =
      """
      WITH marked AS (
        SELECT DISTINCT gpu_slug FROM gpu_market_marks WHERE $1::text IS NULL OR gpu_slug = $1
      ),
      market AS (
        SELECT s.gpu_slug, s.active_listings, s.sale_count, s.sale_min, s.sale_median, s.sale_p90, s.rental_count,
               s.rental_min, s.rental_median
        FROM gpu_market s
        WHERE ($1::text IS NULL OR s.gpu_slug = $1) AND s.gpu_slug NOT IN (SELECT gpu_slug FROM marked)
        UNION ALL
        -- Called only when a model is marked.
        SELECT * FROM gpu_market_compute(ARRAY(SELECT gpu_slug FROM marked)) WHERE EXISTS (SELECT 1 FROM marked)
      )
      SELECT g.slug, g.vendor, g.family, g.name, g.segment, g.vram_gb::text AS vram_gb, g.memory_type,
             g.memory_bandwidth_gbs::text AS memory_bandwidth_gbs, g.fp32_tflops::text AS fp32_tflops,
             g.fp16_tflops::text AS fp16_tflops, g.tdp_w, g.release_year,
             coalesce(m.active_listings, 0) AS active_listings, coalesce(m.sale_count, 0) AS sale_count,
             round(m.sale_min, 2)::text AS sale_min, round(m.sale_median, 2)::text AS sale_median,
             round(m.sale_p90, 2)::text AS sale_p90, coalesce(m.rental_count, 0) AS rental_count,
             round(m.rental_min, 4)::text AS rental_min, round(m.rental_median, 4)::text AS rental_median,
             round(m.sale_median / g.vram_gb, 2)::text AS price_per_gb,
             round(m.sale_median / nullif(coalesce(gb.fp32_tflops, g.fp32_tflops), 0), 2)::text AS price_per_fp32_tflop,
             gb.fp32_tflops::text AS fp32_tflops_measured,
             CASE WHEN gb.fp32_tflops IS NOT NULL THEN 'measured' WHEN g.fp32_tflops IS NOT NULL THEN 'catalog' END
               AS fp32_tflops_source,
             coalesce(gb.benchmarks, 0) AS benchmarks, gb.h2d_gbs::text AS h2d_gbs, gb.d2h_gbs::text AS d2h_gbs,
             gb.d2d_gbs::text AS d2d_gbs, gb.last_measured_at,
             round(m.sale_median / nullif(m.rental_median, 0), 1)::text AS break_even_hours,
             g.perf_index::text AS perf_index,
             round(g.perf_index * 100 / nullif(m.sale_median, 0), 4)::text AS sale_value,
             round(g.perf_index / nullif(m.rental_median, 0), 4)::text AS rental_value
      FROM gpu_models g LEFT JOIN market m ON m.gpu_slug = g.slug
      LEFT JOIN gpu_benchmark_summary gb ON gb.gpu_slug = g.slug
      WHERE ($1::text IS NULL OR g.slug = $1)
        AND ($2::text IS NULL OR g.vendor = $2)
        AND ($3::boolean IS NOT TRUE OR m.active_listings > 0)
      ORDER BY %s
      """;

  /** {@link #GPUS} ordered by how much is on the market: the models people are trading first. */
  public static final String GPUS_BY_LISTINGS =
      GPUS.formatted("coalesce(m.active_listings, 0) DESC, g.release_year DESC NULLS LAST, g.slug");

  /**
   * {@link #GPUS} ordered by value: benchmark performance per 100 USD of the median sale price,
   * best first.
   */
  public static final String GPUS_BY_VALUE =
      GPUS.formatted("g.perf_index * 100 / nullif(m.sale_median, 0) DESC NULLS LAST, g.slug");

  /**
   * A model's price series: a listing's price counts in every bucket its validity span (from one
   * observation to the next change, or to its removal) overlaps, so a quiet week still has the
   * prices that held through it. {@code $2} is 'minute', 'hour', 'day' or 'week' (validated),
   * {@code $3} the number of days back.
   *
   * <p>What it reads is bounded by the window, not by the history's length (measured at 2,000,000
   * listings and 20,000,000 price points, bench/scale.sh): per listing of the model (the {@code
   * gpu_slug} index), its observations in the window and the one before it, the price that held
   * when the window opened (two probes of the primary key); earlier spans end before the first
   * bucket. Each span then yields the buckets it overlaps, instead of every span being compared
   * with every bucket. Buckets are aligned on the unit ({@code date_trunc}), and only buckets that
   * some span overlaps appear, so starting them at the window's first bucket gives the rows that
   * starting at the model's first price in the window gave.
   */
  public static final String GPU_HISTORY =
      """
      WITH w AS (
        SELECT date_trunc($2, now() - make_interval(days => $3)) AS first, date_trunc($2, now()) AS last,
               ('1 ' || $2)::interval AS step
      ),
      spans AS (
        SELECT l.kind, h.price_usd / l.gpu_count AS price, h.observed_at AS valid_from,
               coalesce(lead(h.observed_at) OVER (PARTITION BY h.listing_id ORDER BY h.observed_at), l.removed_at,
                        'infinity'::timestamptz) AS valid_to
        FROM w CROSS JOIN listings l
        CROSS JOIN LATERAL (
          (SELECT p.listing_id, p.observed_at, p.price_usd FROM price_history p
           WHERE p.listing_id = l.id AND p.price_usd IS NOT NULL AND p.observed_at <= w.first
           ORDER BY p.observed_at DESC LIMIT 1)
          UNION ALL
          (SELECT p.listing_id, p.observed_at, p.price_usd FROM price_history p
           WHERE p.listing_id = l.id AND p.price_usd IS NOT NULL AND p.observed_at > w.first)
        ) h
        WHERE l.gpu_slug = $1
      )
      SELECT b.bucket, s.kind, count(*)::int AS samples, round(min(s.price), 4)::text AS min,
             round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.price::float8)::numeric, 4)::text AS median
      FROM w CROSS JOIN spans s
      CROSS JOIN LATERAL generate_series(greatest(date_trunc($2, s.valid_from), w.first),
                                         least(date_trunc($2, s.valid_to), w.last), w.step) AS b(bucket)
      WHERE b.bucket < s.valid_to
      GROUP BY b.bucket, s.kind
      ORDER BY b.bucket, s.kind
      """;

  /**
   * {@link #GPU_HISTORY} by day ({@code $2} days back), from the daily summary where it is up to
   * date (V29: {@code gpu_price_days}, one row per model, day and kind, and the open spans' row for
   * the days after its refresh), and from the price points ({@code gpu_price_days_compute}, the
   * computation of {@link #GPU_HISTORY}) for the days from the model's earliest mark on (a write
   * since the refresh) and for a window the summary does not cover. One statement, so the summary,
   * the marks and the price points are one snapshot: the rows are {@link #GPU_HISTORY}'s (tested
   * against it). What it reads is one index range of the summary per request, whatever the number
   * of listings, when nothing was written since the worker's last refresh.
   */
  public static final String GPU_HISTORY_DAYS =
      """
      WITH w AS (
        SELECT date_trunc('day', now() - make_interval(days => $2)) AS first, date_trunc('day', now()) AS last
      ),
      c AS (
        -- The first day computed from the price points: the window's first unless the summary (computed in this
        -- session's time zone) starts before it, else the model's earliest mark (after the window without one).
        SELECT w.first, w.last, s.refreshed_day,
               CASE WHEN s.since IS NULL OR s.since > w.first THEN w.first
                    ELSE greatest(w.first, least(m.day, w.last + interval '1 day')) END AS live_from
        FROM w
        LEFT JOIN (SELECT since, date_trunc('day', refreshed_at) AS refreshed_day FROM gpu_price_days_state
                   WHERE gpu_slug = $1 AND zone = current_setting('TimeZone')) s ON true
        LEFT JOIN (SELECT min(day) AS day FROM gpu_price_days_marks WHERE gpu_slug = $1) m ON true
      )
      SELECT d.day AS bucket, d.kind, d.samples, d.min::text AS min, d.median::text AS median
      FROM c JOIN gpu_price_days d ON d.gpu_slug = $1 AND d.day >= c.first AND d.day < c.live_from
                                  AND d.day <= c.refreshed_day
      UNION ALL
      -- Days after the refresh's, before any mark: the spans open at the refresh, unchanged since.
      SELECT g.day, d.kind, d.samples, d.min::text, d.median::text
      FROM c CROSS JOIN LATERAL generate_series(greatest(c.refreshed_day + interval '1 day', c.first),
                                                c.live_from - interval '1 day', interval '1 day') AS g(day)
      JOIN gpu_price_days d ON d.gpu_slug = $1 AND d.day = 'infinity'
      UNION ALL
      SELECT x.day, x.kind, x.samples, x.min::text, x.median::text
      FROM c CROSS JOIN LATERAL gpu_price_days_compute($1, c.live_from, c.last) x
      WHERE c.live_from <= c.last
      ORDER BY 1, 2
      """;

  /**
   * How many hours of a model's price history lie in the last {@code $2} days (from its first price
   * there to now; null without one): {@code bucket=auto} picks the bucket from it.
   */
  public static final String GPU_HISTORY_SPAN =
      """
      SELECT (extract(epoch FROM now() - greatest(now() - make_interval(days => $2), min(h.observed_at))) / 3600)::float8
               AS hours
      FROM price_history h JOIN listings l ON l.id = h.listing_id
      WHERE l.gpu_slug = $1 AND h.price_usd IS NOT NULL
      """;

  /**
   * Longest log tail {@code /api/jobs/{id}} returns (the worker keeps up to 64 KiB): its last
   * characters.
   */
  public static final int JOB_LOG_CHARS = 16_384;

  /**
   * Most state changes {@code /api/jobs/{id}} returns (the first ones; one more is read to tell it
   * was cut).
   */
  public static final int JOB_EVENTS_MAX = 500;

  /**
   * Workers, latest started first: {@code stopped} after a graceful exit, {@code gone} once the
   * heartbeat is older than three of that worker's own intervals, else {@code active}; optionally
   * one status.
   */
  public static final String WORKERS =
      """
      SELECT * FROM (
        SELECT id, host, gpus, capacity, version, heartbeat_seconds, started_at, heartbeat_at, stopped_at,
               CASE WHEN stopped_at IS NOT NULL THEN 'stopped'
                    WHEN heartbeat_at < now() - make_interval(secs => 3 * heartbeat_seconds) THEN 'gone'
                    ELSE 'active' END AS status
        FROM workers) w
      WHERE $1::text IS NULL OR status = $1
      ORDER BY started_at DESC, id
      LIMIT $2
      """;

  /** Jobs, newest first, keyset-paginated on id, optionally by state and kind. */
  public static final String JOBS =
      """
      SELECT id, kind, state, priority, attempts, max_attempts, gpus, exit_code, lease_owner, created_at,
             started_at, finished_at, error
      FROM jobs
      WHERE id < $1 AND ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR kind = $3)
      ORDER BY id DESC
      LIMIT $4
      """;

  /**
   * One job. Only the names of its environment variables: their values may be credentials. The log
   * is its last {@link #JOB_LOG_CHARS} characters.
   */
  public static final String JOB =
      """
      SELECT id, kind, image, command, ARRAY(SELECT jsonb_object_keys(env) ORDER BY 1) AS env_keys, gpus,
             min_vram_gb::text AS min_vram_gb, network, memory_mb, cpus::text AS cpus, timeout_seconds, priority,
             max_attempts, state, attempts,
             cancel_requested, lease_owner, lease_expires_at, idempotency_key, created_at, started_at, finished_at,
             exit_code, right(log_tail, %d) AS log_tail, coalesce(length(log_tail), 0) AS log_length, result, error
      FROM jobs WHERE id = $1
      """
          .formatted(JOB_LOG_CHARS);

  /** A job's state history, oldest first. */
  public static final String JOB_EVENTS =
      """
      SELECT at, from_state, to_state, worker, detail FROM job_events WHERE job_id = $1 ORDER BY id LIMIT %d
      """
          .formatted(JOB_EVENTS_MAX + 1);
}
