package dev.gputracker.api.sources;

import dev.gputracker.api.ApiSql;
import dev.gputracker.api.http.Json;
import dev.gputracker.api.http.Params;
import dev.gputracker.api.http.Problem;
import dev.gputracker.shared.catalog.CatalogGapQuery;
import dev.gputracker.shared.domain.Names;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Set;

/**
 * {@code GET /api/sources}: each source with how many listings it has (active and in all) and how
 * many it yielded that were rejected, by reason, plus its latest run; {@code GET /api/rejected}:
 * the rejected listings themselves; {@code GET /api/rejected/gaps}: what the catalog lacks, from
 * the unknown-model rejects.
 */
public final class SourcesHandler {
  private static final Set<String> REASONS =
      Set.of("not_a_gpu", "laptop", "unknown_model", "price_outlier", "suspicious", "duplicate");
  private final Pool pool;

  public SourcesHandler(Pool pool) {
    this.pool = pool;
  }

  public void list(RoutingContext ctx) {
    Params.onlyKnown(ctx.queryParams(), Set.of());
    pool.preparedQuery(ApiSql.SOURCES)
        .execute()
        .onSuccess(
            Json.guarded(
                ctx,
                rows -> {
                  JsonArray items = new JsonArray();
                  for (Row r : rows) {
                    JsonObject rejected = new JsonObject(r.getString("rejected"));
                    int rejectedTotal =
                        rejected.stream().mapToInt(e -> ((Number) e.getValue()).intValue()).sum();
                    JsonObject item =
                        new JsonObject()
                            .put("name", r.getString("name"))
                            .put("adapter", r.getString("adapter"))
                            .put("base_url", r.getString("base_url"))
                            .put("enabled", r.getBoolean("enabled"))
                            .put(
                                "listings",
                                new JsonObject()
                                    .put("active", r.getInteger("active_listings"))
                                    .put("total", r.getInteger("total_listings")))
                            .put(
                                "rejected",
                                new JsonObject()
                                    .put("total", rejectedTotal)
                                    .put("by_reason", rejected));
                    if (r.getLong("run_id") != null) {
                      item.put(
                          "last_run",
                          new JsonObject()
                              .put("run_id", r.getLong("run_id"))
                              .put("status", r.getString("last_status"))
                              .put("started_at", Json.iso(r.getOffsetDateTime("last_started_at")))
                              .put("finished_at", Json.iso(r.getOffsetDateTime("last_finished_at")))
                              .put("listings_seen", r.getInteger("last_seen"))
                              .put("errors", r.getInteger("last_errors"))
                              .put("error", r.getString("last_error")));
                    } else {
                      item.putNull("last_run");
                    }
                    item.put("health", r.getString("health"))
                        .put("health_reason", r.getString("health_reason"))
                        .put(
                            "health_changed_at",
                            Json.iso(r.getOffsetDateTime("health_changed_at")));
                    if (r.getLong("complete_run_id") != null) {
                      item.put(
                          "last_complete_run",
                          new JsonObject()
                              .put("run_id", r.getLong("complete_run_id"))
                              .put("status", r.getString("complete_status"))
                              .put(
                                  "finished_at",
                                  Json.iso(r.getOffsetDateTime("complete_finished_at")))
                              .put("pages", r.getInteger("complete_pages"))
                              .put("listings_read", r.getInteger("complete_read"))
                              .put("listings_priced", r.getInteger("complete_priced"))
                              .put("listings_normalised", r.getInteger("complete_normalised"))
                              .put("listings_removed", r.getInteger("complete_removed"))
                              .put("pagination_depth", r.getInteger("complete_depth")));
                    } else {
                      item.putNull("last_complete_run");
                    }
                    items.add(item);
                  }
                  Json.send(ctx, new JsonObject().put("items", items));
                }))
        .onFailure(ctx::fail);
  }

  public void rejected(RoutingContext ctx) {
    var q = ctx.queryParams();
    Params.onlyKnown(q, Set.of("source", "reason", "limit", "cursor"));
    String source = Params.single(q, "source").orElse(null);
    if (source != null && !Names.isSourceName(source)) {
      throw Problem.badParameter("source", "source must be a source name");
    }
    String reason = Params.oneOf(q, "reason", REASONS).orElse(null);
    int limit = Params.limit(q, 50, 200);
    long cursor = Params.idCursor(q);
    pool.preparedQuery(ApiSql.REJECTED)
        .execute(Tuple.of(cursor, source, reason, limit + 1))
        .onSuccess(
            Json.guarded(ctx, rows -> Json.sendIdPage(ctx, rows, limit, SourcesHandler::rejected)))
        .onFailure(ctx::fail);
  }

  /**
   * {@code GET /api/rejected/gaps}: {@code unknown_model} rejects grouped by the words the
   * normaliser could not place ("cmp 170 hx"), most frequent first, each with how many sources
   * listed them, when last and an example title: what to add to the catalog next.
   */
  public void gaps(RoutingContext ctx) {
    var q = ctx.queryParams();
    Params.onlyKnown(q, Set.of("source", "limit"));
    String source = Params.single(q, "source").orElse(null);
    if (source != null && !Names.isSourceName(source)) {
      throw Problem.badParameter("source", "source must be a source name");
    }
    int limit = Params.limit(q, 50, 200);
    pool.preparedQuery(CatalogGapQuery.SQL)
        .execute(Tuple.of(source, limit))
        .onSuccess(
            rows -> {
              JsonArray items = new JsonArray();
              for (Row r : rows) {
                items.add(
                    new JsonObject()
                        .put("words", r.getString("words"))
                        .put("listings", r.getInteger("listings"))
                        .put("sources", r.getInteger("sources"))
                        .put("last_seen_at", Json.iso(r.getOffsetDateTime("last_seen_at")))
                        .put("example", r.getString("example")));
              }
              Json.send(ctx, new JsonObject().put("items", items));
            })
        .onFailure(ctx::fail);
  }

  private static JsonObject rejected(Row r) {
    return new JsonObject()
        .put("id", r.getLong("id"))
        .put("source", r.getString("source"))
        .put("external_id", r.getString("external_id"))
        .put("title", r.getString("title"))
        .put("reason", r.getString("reason"))
        .put("detail", r.getString("detail"))
        .put("gpu", r.getString("gpu_slug"))
        .put("price", r.getString("price"))
        .put("currency", r.getString("currency"))
        .put("price_usd", r.getString("price_usd"))
        .put("url", r.getString("url"))
        .put("first_seen_at", Json.iso(r.getOffsetDateTime("first_seen_at")))
        .put("last_seen_at", Json.iso(r.getOffsetDateTime("last_seen_at")));
  }
}
