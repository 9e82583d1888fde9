package dev.gputracker.api;

import dev.gputracker.shared.db.SqlResource;

/**
 * The index of the API's SQL: every named statement, read once from its {@code .sql} resource
 * beside the code that runs it ({@code src/main/resources/dev/gputracker/api/<package>/}, each with
 * a header naming its parameters; {@link SqlResource}), and the fixed fragments a listing search is
 * assembled from, each with {@code $n} placeholders numbered by {@code ListingQuery}, so client
 * text never becomes SQL. A listing's select list is {@code listings.ListingColumns}' (the listing
 * selects are built in {@code listings.ListingSelects}: this package cannot import that one's). The
 * job reads are shared with the worker's operator command: {@code shared.jobs.JobReads}.
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
      SqlResource.load(ApiSql.class, "cancel_backends.sql");

  public static final String PRICE_PER_TFLOP = "l.price_per_tflop";
  public static final String VALUE = "l.value";

  /**
   * What a listing select reads, after its select list ({@code listings.ListingColumns}): the
   * listing as {@code l}, the catalog as {@code g} for the filters that need a catalog figure
   * ({@code min_vram}). PostgreSQL removes the join from every plan that reads nothing from it
   * (gpu_models.slug is unique), which is every search without that filter.
   */
  public static final String LISTINGS_FROM =
      """

      FROM listings l
      LEFT JOIN gpu_models g ON g.slug = l.gpu_slug
      """;

  /**
   * The listing columns a search in another currency adds ({@code display_price}, {@code
   * fx_source}, {@code fx_date}), read from {@link #EXCHANGE_RATES_JOIN}'s {@code fx}.
   */
  public static final String DISPLAY_PRICE =
      SqlResource.load(ApiSql.class, "listings/display_price.sql");

  /** The exchange rates a search in another currency converts with, joined as {@code fx}. */
  public static final String EXCHANGE_RATES_JOIN =
      SqlResource.load(ApiSql.class, "listings/exchange_rates_join.sql");

  /**
   * A sale listing's distance from its model's median sale price per GPU, in percent (negative
   * below it): the key of the {@code deal} order. The medians come from the API's market figures as
   * two arrays, slugs and medians ({@code listings.ListingSelects.withDeal}); {@code listings.Deal}
   * computes the same figure for the other orders.
   */
  public static final String DEAL =
      "round((l.price_usd - med.median * l.gpu_count) * 100 / (med.median * l.gpu_count), 1)";

  /**
   * The deal order's first phase, a bound on the page's worst deal ({@code
   * listings/deal_bound.sql}).
   */
  public static final String DEAL_BOUND = SqlResource.load(ApiSql.class, "listings/deal_bound.sql");

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
  public static final String FEED = SqlResource.load(ApiSql.class, "listings/feed.sql");

  /**
   * Which of the listings {@code $%2$d} (ids) match a live stream's search conditions ({@code
   * %1$s}, numbered from {@code $1}), whether active or not: a removed listing's event still
   * concerns the search it matched.
   */
  public static final String STREAM_MATCH =
      SqlResource.load(ApiSql.class, "listings/stream_match.sql");

  /** Each source with its listing counts, its rejected listings by reason, and its latest run. */
  public static final String SOURCES = SqlResource.load(ApiSql.class, "sources/sources.sql");

  /** Runs, newest first, keyset-paginated on id. */
  public static final String RUNS = SqlResource.load(ApiSql.class, "runs/runs.sql");

  public static final String RUN = SqlResource.load(ApiSql.class, "runs/run.sql");

  public static final String RUN_SOURCES = SqlResource.load(ApiSql.class, "runs/run_sources.sql");

  /** Rejected listings, newest first, keyset-paginated on id, optionally by source and reason. */
  public static final String REJECTED = SqlResource.load(ApiSql.class, "sources/rejected.sql");

  /** A listing's whole price history, oldest first. */
  public static final String LISTING_HISTORY =
      SqlResource.load(ApiSql.class, "listings/price_history.sql");

  /** The catalog with live market figures per model ({@code gpus/market.sql}). */
  private static final String GPUS = SqlResource.load(ApiSql.class, "gpus/market.sql");

  /** {@link #GPUS} ordered by how much is on the market: the models people are trading first. */
  public static final String GPUS_BY_LISTINGS =
      GPUS.formatted("coalesce(m.active_listings, 0) DESC, g.release_year DESC NULLS LAST, g.slug");

  /**
   * {@link #GPUS} ordered by value: benchmark performance per 100 USD of the median sale price,
   * best first.
   */
  public static final String GPUS_BY_VALUE =
      GPUS.formatted("g.perf_index * 100 / nullif(m.sale_median, 0) DESC NULLS LAST, g.slug");

  /** A model's price series in buckets ({@code gpus/history.sql}). */
  public static final String GPU_HISTORY = SqlResource.load(ApiSql.class, "gpus/history.sql");

  /**
   * {@link #GPU_HISTORY} by day, from the daily summary where it is up to date ({@code
   * gpus/history_days.sql}).
   */
  public static final String GPU_HISTORY_DAYS =
      SqlResource.load(ApiSql.class, "gpus/history_days.sql");

  /**
   * How many hours of a model's price history lie in the last {@code $2} days (from its first price
   * there to now; null without one): {@code bucket=auto} picks the bucket from it.
   */
  public static final String GPU_HISTORY_SPAN =
      SqlResource.load(ApiSql.class, "gpus/history_span.sql");

  /**
   * Workers, latest started first: {@code stopped} after a graceful exit, {@code gone} once the
   * heartbeat is older than three of that worker's own intervals, else {@code active}; optionally
   * one status.
   */
  public static final String WORKERS = SqlResource.load(ApiSql.class, "jobs/workers.sql");
}
