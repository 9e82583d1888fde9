package dev.gputracker.api.runs;

import dev.gputracker.api.ApiSql;
import dev.gputracker.api.http.Json;
import dev.gputracker.api.http.Params;
import dev.gputracker.api.http.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Set;

/**
 * {@code GET /api/runs} and {@code GET /api/runs/{id}}: what the worker did and how each source
 * fared.
 */
public final class RunsHandler {
  private final Pool pool;

  public RunsHandler(Pool pool) {
    this.pool = pool;
  }

  public void list(RoutingContext ctx) {
    var q = ctx.queryParams();
    Params.onlyKnown(q, Set.of("limit", "cursor"));
    int limit = Params.limit(q, 20, 200);
    long cursor = Params.idCursor(q);
    pool.preparedQuery(ApiSql.RUNS)
        .execute(Tuple.of(cursor, limit + 1))
        .onSuccess(
            Json.guarded(ctx, rows -> Json.sendIdPage(ctx, rows, limit, RunsHandler::withTotals)))
        .onFailure(ctx::fail);
  }

  public void one(RoutingContext ctx) {
    long id = Params.pathId(ctx.pathParam("id"), "run");
    pool.preparedQuery(ApiSql.RUN)
        .execute(Tuple.of(id))
        .compose(
            runRows -> {
              if (runRows.size() == 0) {
                throw Problem.notFound("no run " + id);
              }
              JsonObject run = run(runRows.iterator().next());
              return pool.preparedQuery(ApiSql.RUN_SOURCES)
                  .execute(Tuple.of(id))
                  .map(
                      sources -> {
                        JsonArray items = new JsonArray();
                        for (Row s : sources) {
                          items.add(
                              new JsonObject()
                                  .put("source", s.getString("source"))
                                  .put("status", s.getString("status"))
                                  .put("pages", s.getInteger("pages"))
                                  .put("listings_seen", s.getInteger("listings_seen"))
                                  .put("listings_new", s.getInteger("listings_new"))
                                  .put("listings_updated", s.getInteger("listings_updated"))
                                  .put("listings_removed", s.getInteger("listings_removed"))
                                  .put("listings_rejected", s.getInteger("listings_rejected"))
                                  .put("errors", s.getInteger("errors"))
                                  .put("error", s.getString("error_message"))
                                  .put("duration_ms", s.getLong("duration_ms"))
                                  .put("started_at", Json.iso(s.getOffsetDateTime("started_at")))
                                  .put("finished_at", Json.iso(s.getOffsetDateTime("finished_at")))
                                  .put("listings_read", s.getInteger("listings_read"))
                                  .put("listings_priced", s.getInteger("listings_priced"))
                                  .put("listings_normalised", s.getInteger("listings_normalised"))
                                  .put("pagination_depth", s.getInteger("pagination_depth"))
                                  .put(
                                      "rejected_by_reason",
                                      new JsonObject(s.getString("rejected_by_reason")))
                                  .put("health_reason", s.getString("health_reason")));
                        }
                        return run.put("sources", items);
                      });
            })
        .onSuccess(Json.guarded(ctx, body -> Json.send(ctx, body)))
        .onFailure(ctx::fail);
  }

  private static JsonObject run(Row r) {
    return new JsonObject()
        .put("id", r.getLong("id"))
        .put("worker", r.getString("worker_id"))
        .put("mode", r.getString("mode"))
        .put("status", r.getString("status"))
        .put("started_at", Json.iso(r.getOffsetDateTime("started_at")))
        .put("finished_at", Json.iso(r.getOffsetDateTime("finished_at")));
  }

  /** A run with its totals over every source. */
  private static JsonObject withTotals(Row r) {
    return run(r)
        .put("pages", r.getInteger("pages"))
        .put("listings_seen", r.getInteger("listings_seen"))
        .put("listings_new", r.getInteger("listings_new"))
        .put("listings_updated", r.getInteger("listings_updated"))
        .put("listings_removed", r.getInteger("listings_removed"))
        .put("listings_rejected", r.getInteger("listings_rejected"))
        .put("errors", r.getInteger("errors"));
  }
}
