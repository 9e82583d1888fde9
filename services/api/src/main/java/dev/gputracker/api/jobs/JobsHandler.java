package dev.gputracker.api.jobs;

import dev.gputracker.api.ApiSql;
import dev.gputracker.api.http.Json;
import dev.gputracker.api.http.Params;
import dev.gputracker.api.http.Problem;
import dev.gputracker.shared.jobs.JobJson;
import dev.gputracker.shared.jobs.JobReads;
import dev.gputracker.shared.jobs.JobVocabulary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Set;

/**
 * {@code GET /api/jobs}, {@code GET /api/jobs/{id}} and {@code GET /api/workers}: the compute-job
 * queue and the workers that run it, as the worker left them.
 */
public final class JobsHandler {
  static final Set<String> STATES = Set.copyOf(JobVocabulary.STATES);
  static final Set<String> KINDS = JobVocabulary.KINDS;
  static final Set<String> WORKER_STATUSES = Set.of("active", "gone", "stopped");

  /**
   * Longest log tail {@code /api/jobs/{id}} returns (the worker keeps up to 64 KiB): its last
   * characters.
   */
  static final int LOG_CHARS = 16_384;

  /**
   * Most state changes {@code /api/jobs/{id}} returns (the first ones; one more is read to tell it
   * was cut).
   */
  static final int EVENTS_MAX = 500;

  private final Pool pool;

  public JobsHandler(Pool pool) {
    this.pool = pool;
  }

  public void list(RoutingContext ctx) {
    var q = ctx.queryParams();
    Params.onlyKnown(q, Set.of("state", "kind", "limit", "cursor"));
    String state = Params.oneOf(q, "state", STATES).orElse(null);
    String kind = Params.oneOf(q, "kind", KINDS).orElse(null);
    int limit = Params.limit(q, 50, 200);
    long cursor = Params.idCursor(q);
    pool.preparedQuery(JobReads.JOBS)
        .execute(Tuple.of(cursor, state, kind, limit + 1))
        .onSuccess(Json.guarded(ctx, rows -> Json.sendIdPage(ctx, rows, limit, JobJson::summary)))
        .onFailure(ctx::fail);
  }

  public void one(RoutingContext ctx) {
    long id = Params.pathId(ctx.pathParam("id"), "job");
    pool.preparedQuery(JobReads.JOB)
        .execute(Tuple.of(id, LOG_CHARS))
        .compose(
            jobRows -> {
              if (jobRows.size() == 0) {
                throw Problem.notFound("no job " + id);
              }
              JsonObject job = JobJson.job(jobRows.iterator().next());
              return pool.preparedQuery(JobReads.JOB_EVENTS)
                  .execute(Tuple.of(id, EVENTS_MAX + 1))
                  .map(events -> JobJson.withHistory(job, events, EVENTS_MAX));
            })
        .onSuccess(Json.guarded(ctx, body -> Json.send(ctx, body)))
        .onFailure(ctx::fail);
  }

  public void workers(RoutingContext ctx) {
    var q = ctx.queryParams();
    Params.onlyKnown(q, Set.of("status", "limit"));
    String status = Params.oneOf(q, "status", WORKER_STATUSES).orElse(null);
    int limit = Params.limit(q, 100, 200);
    pool.preparedQuery(ApiSql.WORKERS)
        .execute(Tuple.of(status, limit))
        .onSuccess(
            Json.guarded(
                ctx,
                rows -> {
                  JsonArray items = new JsonArray();
                  for (Row r : rows) {
                    Object gpus = r.getValue("gpus");
                    items.add(
                        new JsonObject()
                            .put("id", r.getString("id"))
                            .put("host", r.getString("host"))
                            .put("status", r.getString("status"))
                            .put("gpus", gpus == null ? new JsonArray() : gpus)
                            .put("capacity", r.getInteger("capacity"))
                            .put("version", r.getString("version"))
                            .put("heartbeat_seconds", r.getInteger("heartbeat_seconds"))
                            .put("started_at", Json.iso(r.getOffsetDateTime("started_at")))
                            .put("heartbeat_at", Json.iso(r.getOffsetDateTime("heartbeat_at")))
                            .put("stopped_at", Json.iso(r.getOffsetDateTime("stopped_at"))));
                  }
                  Json.send(ctx, new JsonObject().put("items", items));
                }))
        .onFailure(ctx::fail);
  }
}
