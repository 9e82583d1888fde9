package dev.gputracker.api.gpus;

import dev.gputracker.api.ApiSql;
import dev.gputracker.api.http.Json;
import dev.gputracker.api.http.Params;
import dev.gputracker.api.http.Problem;
import dev.gputracker.api.http.Text;
import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.domain.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The catalog with live market figures ({@code /api/gpus}, {@code /api/gpus/{slug}}) and a model's
 * price series ({@code /api/gpus/{slug}/history}). Every money figure is USD per GPU, as a decimal
 * string.
 *
 * <p>Value = the model's performance index (a published benchmark hierarchy, RTX 4090 = 100; see
 * {@code catalog/gpu-performance.csv}) per 100 USD of the median sale price, and per USD of the
 * median rental price per GPU-hour.
 *
 * <p>Price per FP32 TFLOP uses the median FP32 throughput that gpu-benchmark jobs measured for the
 * model (cuBLAS SGEMM on real devices) where there is one, else the catalog's peak figure; {@code
 * fp32_tflops_source} says which, {@code benchmarks} how many devices were measured.
 *
 * <p>Buy-vs-rent break-even hours = median sale price ÷ median rental price per GPU-hour: how many
 * hours of renting cost as much as buying the card (power, resale value and the rest of the machine
 * aside).
 */
public final class GpusHandler {
  /** Where the performance index comes from, shown beside the figures it feeds. */
  private static final JsonObject PERF_SOURCE;

  static {
    var source = GpuCatalog.load().performanceSource();
    PERF_SOURCE =
        new JsonObject()
            .put("source", source.source())
            .put("as_of", source.asOf())
            .put("scale", "GeForce RTX 4090 = 100");
  }

  private final Pool pool;
  private final MarketCache<RowSet<Row>> market;

  /**
   * Whole {@code /api/gpus} responses, encoded once per window: the route is read far more than it
   * changes.
   */
  private final MarketCache<Json.Encoded> lists;

  /**
   * Each model's median sale price per GPU (USD), as {@code /api/gpus} shows it: what listings'
   * deals compare to.
   */
  private final MarketCache<Map<String, BigDecimal>> medians;

  public GpusHandler(Pool pool, Duration marketCache) {
    this.pool = pool;
    this.market = new MarketCache<>(marketCache);
    this.lists = new MarketCache<>(marketCache);
    this.medians = new MarketCache<>(marketCache);
  }

  /**
   * The listings changed (an outbox notification: the worker committed a page, a removal pass, a
   * run's end): the next reader of any market figure gets them computed afresh.
   */
  public void invalidate() {
    market.invalidate();
    lists.invalidate();
    // A search must not wait for the aggregate: it compares with the last medians while they are
    // recomputed.
    medians.expire();
  }

  /**
   * Each model's median sale price per GPU in USD, from the same computation (and cache) as {@code
   * /api/gpus}, so a listing's distance from its median agrees with the median its model's card
   * shows.
   */
  public Future<Map<String, BigDecimal>> saleMedians() {
    return medians.get(
        "all",
        () ->
            market(ApiSql.GPUS_BY_LISTINGS, null, null, true)
                .map(
                    rows -> {
                      Map<String, BigDecimal> bySlug = new HashMap<>();
                      for (Row r : rows) {
                        String median = r.getString("sale_median");
                        if (median != null && new BigDecimal(median).signum() > 0) {
                          bySlug.put(r.getString("slug"), new BigDecimal(median));
                        }
                      }
                      return Map.copyOf(bySlug);
                    }));
  }

  /** The market query for these parameters, shared with every request of the cache's window. */
  private Future<RowSet<Row>> market(String sql, String slug, String vendor, boolean listed) {
    String key =
        (sql == ApiSql.GPUS_BY_VALUE ? "value" : "listings")
            + "|"
            + slug
            + "|"
            + vendor
            + "|"
            + listed;
    return market.get(key, () -> pool.preparedQuery(sql).execute(Tuple.of(slug, vendor, listed)));
  }

  public void list(RoutingContext ctx) {
    var q = ctx.queryParams();
    Params.onlyKnown(q, Set.of("vendor", "listed", "sort"));
    String vendor = Params.oneOf(q, "vendor", Set.of("nvidia", "amd", "intel")).orElse(null);
    boolean listed =
        Params.oneOf(q, "listed", Set.of("true", "false")).map(Boolean::parseBoolean).orElse(false);
    String sql =
        Params.oneOf(q, "sort", Set.of("listings", "value")).orElse("listings").equals("value")
            ? ApiSql.GPUS_BY_VALUE
            : ApiSql.GPUS_BY_LISTINGS;
    String key = (sql == ApiSql.GPUS_BY_VALUE ? "value" : "listings") + "|" + vendor + "|" + listed;
    lists
        .get(
            key,
            () ->
                pool.preparedQuery(sql)
                    .execute(Tuple.of(null, vendor, listed))
                    .map(
                        rows -> {
                          JsonArray items = new JsonArray();
                          rows.forEach(r -> items.add(json(r)));
                          return Json.encode(
                              new JsonObject()
                                  .put("items", items)
                                  .put("perf_index_source", PERF_SOURCE)
                                  .toBuffer());
                        }))
        .onSuccess(Json.guarded(ctx, body -> Json.send(ctx, body)))
        .onFailure(ctx::fail);
  }

  public void one(RoutingContext ctx) {
    String slug = slug(ctx);
    market(ApiSql.GPUS_BY_LISTINGS, slug, null, false)
        .onSuccess(
            Json.guarded(
                ctx,
                rows -> {
                  if (rows.size() == 0) {
                    ctx.fail(Problem.notFound("no GPU model " + slug + " in the catalog"));
                    return;
                  }
                  Json.send(ctx, json(rows.iterator().next()));
                }))
        .onFailure(ctx::fail);
  }

  public void history(RoutingContext ctx) {
    String slug = slug(ctx);
    var q = ctx.queryParams();
    Params.onlyKnown(q, Set.of("bucket", "days"));
    String bucket =
        Params.oneOf(q, "bucket", Set.of("auto", "minute", "hour", "day", "week")).orElse("day");
    int days = Params.integer(q, "days", 1, 3650).orElse(90);
    if (bucket.equals("hour") && days > 31) {
      throw Problem.badParameter("days", "with bucket=hour, days must be at most 31 (744 hours)");
    }
    if (bucket.equals("minute") && days > 1) {
      throw Problem.badParameter("days", "with bucket=minute, days must be 1 (1,440 minutes)");
    }
    market(ApiSql.GPUS_BY_LISTINGS, slug, null, false)
        .compose(
            model -> {
              if (model.size() == 0) {
                throw Problem.notFound("no GPU model " + slug + " in the catalog");
              }
              if (!bucket.equals("auto")) {
                return Future.succeededFuture(bucket);
              }
              return pool.preparedQuery(ApiSql.GPU_HISTORY_SPAN)
                  .execute(Tuple.of(slug, days))
                  .map(span -> autoBucket(span.iterator().next().getDouble("hours")));
            })
        .compose(
            size ->
                (size.equals("day")
                        ? pool.preparedQuery(ApiSql.GPU_HISTORY_DAYS).execute(Tuple.of(slug, days))
                        : pool.preparedQuery(ApiSql.GPU_HISTORY)
                            .execute(Tuple.of(slug, size, days)))
                    .map(rows -> Map.entry(size, rows)))
        .onSuccess(
            Json.guarded(
                ctx,
                result -> {
                  String size = result.getKey();
                  var rows = result.getValue();
                  JsonArray sale = new JsonArray();
                  JsonArray rental = new JsonArray();
                  for (Row r : rows) {
                    JsonObject point =
                        new JsonObject()
                            .put("bucket", Json.iso(r.getOffsetDateTime("bucket")))
                            .put("min", r.getString("min"))
                            .put("median", r.getString("median"))
                            .put("samples", r.getInteger("samples"));
                    ("sale".equals(r.getString("kind")) ? sale : rental).add(point);
                  }
                  Json.send(
                      ctx,
                      new JsonObject()
                          .put("gpu", slug)
                          .put("bucket", size)
                          .put("days", days)
                          .put(
                              "unit",
                              new JsonObject()
                                  .put("sale", "USD per GPU")
                                  .put("rental", "USD per GPU-hour"))
                          .put("sale", sale)
                          .put("rental", rental));
                }))
        .onFailure(ctx::fail);
  }

  /**
   * The bucket that gives a trend for a history this long (hours from the model's first price in
   * the window to now): weeks from three weeks on, days from two days on, hours from two hours on,
   * else minutes, so a second run minutes after the first already draws a line.
   */
  static String autoBucket(Double hours) {
    if (hours == null || hours < 2) {
      return "minute";
    }
    if (hours < 48) {
      return "hour";
    }
    return hours < 21 * 24 ? "day" : "week";
  }

  private static String slug(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    if (!Names.isGpuSlug(slug)) {
      throw Problem.notFound("no GPU model " + Text.excerpt(slug));
    }
    return slug;
  }

  private static JsonObject json(Row r) {
    JsonObject market =
        new JsonObject()
            .put("active_listings", r.getInteger("active_listings"))
            .put(
                "sale",
                new JsonObject()
                    .put("listings", r.getInteger("sale_count"))
                    .put("min", r.getString("sale_min"))
                    .put("median", r.getString("sale_median"))
                    .put("p90", r.getString("sale_p90")))
            .put(
                "rental",
                new JsonObject()
                    .put("listings", r.getInteger("rental_count"))
                    .put("min_per_gpu_hour", r.getString("rental_min"))
                    .put("median_per_gpu_hour", r.getString("rental_median")))
            .put("price_per_gb_vram", r.getString("price_per_gb"))
            .put("price_per_fp32_tflop", r.getString("price_per_fp32_tflop"))
            .put("buy_vs_rent_break_even_hours", r.getString("break_even_hours"))
            .put(
                "value",
                new JsonObject()
                    .put("per_100_usd", r.getString("sale_value"))
                    .put("per_usd_per_gpu_hour", r.getString("rental_value")));
    return new JsonObject()
        .put("slug", r.getString("slug"))
        .put("vendor", r.getString("vendor"))
        .put("family", r.getString("family"))
        .put("name", r.getString("name"))
        .put("segment", r.getString("segment"))
        .put("vram_gb", r.getString("vram_gb"))
        .put("memory_type", r.getString("memory_type"))
        .put("memory_bandwidth_gbs", r.getString("memory_bandwidth_gbs"))
        .put("fp32_tflops", r.getString("fp32_tflops"))
        .put("fp32_tflops_measured", r.getString("fp32_tflops_measured"))
        .put("fp32_tflops_source", r.getString("fp32_tflops_source"))
        .put("benchmarks", r.getInteger("benchmarks"))
        .put(
            "measured_bandwidth_gbs",
            r.getInteger("benchmarks") == 0
                ? null
                : new JsonObject()
                    .put("h2d", r.getString("h2d_gbs"))
                    .put("d2h", r.getString("d2h_gbs"))
                    .put("d2d", r.getString("d2d_gbs")))
        .put("last_benchmarked_at", Json.iso(r.getOffsetDateTime("last_measured_at")))
        .put("fp16_tflops", r.getString("fp16_tflops"))
        .put("perf_index", r.getString("perf_index"))
        .put("tdp_w", r.getInteger("tdp_w"))
        .put("release_year", r.getInteger("release_year"))
        .put("market", market);
  }
}
