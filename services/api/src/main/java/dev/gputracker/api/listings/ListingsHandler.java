package dev.gputracker.api.listings;

import dev.gputracker.api.ApiSql;
import dev.gputracker.api.http.Json;
import dev.gputracker.api.http.Params;
import dev.gputracker.api.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code GET /api/listings}: filtered, sorted, keyset-paginated listings. Money is always a decimal
 * string.
 */
public final class ListingsHandler {
  /** A CSV export may ask for this many rows at once ({@code limit}); JSON pages stop at 200. */
  static final int CSV_MAX_ROWS = 10_000;

  /**
   * How many CSV exports one API process runs at once. An export holds its rows and their text in
   * memory (about 10 MB at 10,000 rows); on the API's 64 MB heap, 32 at once ended in
   * OutOfMemoryError (bench/scale.sh), which took every other request down with them. One more is a
   * 503 with Retry-After: the client retries, nothing else suffers.
   */
  public static final int CSV_EXPORTS_AT_ONCE = 2;

  /** CSV exports in progress in this process (every verticle's). */
  private static final AtomicInteger EXPORTS = new AtomicInteger();

  private final Pool pool;

  /**
   * Each model's median sale price per GPU (USD), from the market figures: what a listing's deal
   * compares to.
   */
  private final Supplier<Future<Map<String, BigDecimal>>> medians;

  public ListingsHandler(Pool pool, Supplier<Future<Map<String, BigDecimal>>> medians) {
    this.pool = pool;
    this.medians = medians;
  }

  public void list(RoutingContext ctx) {
    boolean csv = "text/csv".equals(ctx.getAcceptableContentType());
    if (csv && !takeExportSlot(ctx)) {
      return;
    }
    medians
        .get()
        .onFailure(ctx::fail)
        .onSuccess(
            m -> {
              ListingQuery query;
              try {
                query =
                    ListingQuery.parse(
                        ctx.queryParams(), csv ? CSV_MAX_ROWS : ListingQuery.MAX_LIMIT, m);
              } catch (RuntimeException e) {
                ctx.fail(e);
                return;
              }
              if (csv) {
                pool.preparedQuery(query.sql)
                    .execute(query.params)
                    .onSuccess(Json.guarded(ctx, rows -> Csv.write(ctx, rows, query.limit, m)))
                    .onFailure(ctx::fail);
                return;
              }
              pool.preparedQuery(query.sql)
                  .execute(query.params)
                  .onSuccess(Json.guarded(ctx, rows -> Json.send(ctx, page(rows, query, m))))
                  .onFailure(ctx::fail);
            });
  }

  /**
   * Takes one of the process's export slots until the response ends (or the connection drops);
   * fails the request with a 503 when none is free.
   */
  private static boolean takeExportSlot(RoutingContext ctx) {
    if (EXPORTS.incrementAndGet() > CSV_EXPORTS_AT_ONCE) {
      EXPORTS.decrementAndGet();
      ctx.fail(
          new Problem(
              503,
              "Too many exports at once",
              "this API runs "
                  + CSV_EXPORTS_AT_ONCE
                  + " CSV exports at a time; retry after the Retry-After seconds",
              null));
      return false;
    }
    ctx.addEndHandler(ended -> EXPORTS.decrementAndGet());
    return true;
  }

  /** CSV exports in progress now in this process (tests wait on it). */
  public static int exportsInProgress() {
    return EXPORTS.get();
  }

  /** {@code GET /api/listings/{id}}: the listing with its whole price history. */
  public void one(RoutingContext ctx) {
    long id = Params.pathId(ctx.pathParam("id"), "listing");
    pool.preparedQuery(ListingSelects.LISTING)
        .execute(Tuple.of(id))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.notFound("no listing " + id);
              }
              Row row = rows.iterator().next();
              return medians
                  .get()
                  .compose(
                      m -> {
                        JsonObject listing = json(row, m);
                        return pool.preparedQuery(ApiSql.LISTING_HISTORY)
                            .execute(Tuple.of(id))
                            .map(
                                history -> {
                                  JsonArray points = new JsonArray();
                                  for (Row h : history) {
                                    points.add(
                                        new JsonObject()
                                            .put(
                                                "observed_at",
                                                Json.iso(h.getOffsetDateTime("observed_at")))
                                            .put("price", h.getString("price"))
                                            .put("currency", h.getString("currency"))
                                            .put("price_usd", h.getString("price_usd")));
                                  }
                                  return listing.put("history", points);
                                });
                      });
            })
        .onSuccess(Json.guarded(ctx, body -> Json.send(ctx, body)))
        .onFailure(ctx::fail);
  }

  private static Json.Encoded page(
      RowSet<Row> rows, ListingQuery query, Map<String, BigDecimal> medians) {
    List<Row> items = new ArrayList<>(query.limit);
    String nextCursor = null;
    for (Row row : rows) {
      if (items.size() == query.limit) {
        Row last = items.get(items.size() - 1);
        nextCursor =
            ListingQuery.Cursor.encode(query.sort, keyOf(last, query.sort), last.getLong("id"));
        break;
      }
      items.add(row);
    }
    return ListingJson.page(items, nextCursor, query.displayCurrency, medians);
  }

  private static String keyOf(Row row, ListingSort sort) {
    if (sort.figure != null) {
      return row.getString(sort.figure);
    }
    switch (sort) {
      case FIRST_SEEN:
      case FIRST_SEEN_DESC:
        return Json.iso(row.getOffsetDateTime("first_seen_at"));
      default:
        return Json.iso(row.getOffsetDateTime("last_seen_at"));
    }
  }

  /**
   * One listing as a JSON object: the fields, names, order and values of a search page's listings
   * ({@link ListingColumns}, then the deal, as {@link ListingJson} writes them).
   */
  static JsonObject json(Row r, Map<String, BigDecimal> medians) {
    JsonObject json = new JsonObject();
    int[] columns = ListingJson.columns(r);
    for (int i = 0; i < columns.length; i++) {
      json.put(ListingColumns.SHOWN[i].json, ListingJson.value(r, columns[i]));
    }
    BigDecimal median = ListingJson.median(r, columns, medians);
    String vs = ListingJson.vsMedianPct(r, columns, ListingJson.dealColumn(r), median);
    return json.put(ListingColumns.DEAL_FIELDS.get(0), ListingJson.medianUsd(vs, median))
        .put(ListingColumns.DEAL_FIELDS.get(1), vs);
  }
}
