package dev.gputracker.api.jobs;

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
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/jobs}, {@code GET /api/jobs/{id}} and {@code GET /api/workers}: the compute-job
 * queue and the workers that run it, as the worker left them.
 */
public final class JobsHandler {
  static final Set<String> STATES =
      Set.of("queued", "running", "succeeded", "failed", "timed_out", "cancelled", "dead");
  static final Set<String> KINDS = Set.of("container", "command", "gpu-benchmark", "noop");
  static final Set<String> WORKER_STATUSES = Set.of("active", "gone", "stopped");

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
    pool.preparedQuery(ApiSql.JOBS)
        .execute(Tuple.of(cursor, state, kind, limit + 1))
        .onSuccess(
            Json.guarded(ctx, rows -> Json.sendIdPage(ctx, rows, limit, JobsHandler::summary)))
        .onFailure(ctx::fail);
  }

  public void one(RoutingContext ctx) {
    long id = Params.pathId(ctx.pathParam("id"), "job");
    pool.preparedQuery(ApiSql.JOB)
        .execute(Tuple.of(id))
        .compose(
            jobRows -> {
              if (jobRows.size() == 0) {
                throw Problem.notFound("no job " + id);
              }
              Row r = jobRows.iterator().next();
              String[] command = r.getArrayOfStrings("command");
              String[] envKeys = r.getArrayOfStrings("env_keys");
              JsonObject job =
                  summary(r)
                      .put("image", r.getString("image"))
                      .put(
                          "command",
                          new JsonArray(command == null ? List.of() : Arrays.asList(command)))
                      .put(
                          "env_keys",
                          new JsonArray(envKeys == null ? List.of() : Arrays.asList(envKeys)))
                      .put("min_vram_gb", r.getString("min_vram_gb"))
                      .put("timeout_seconds", r.getInteger("timeout_seconds"))
                      .put("network", r.getBoolean("network"))
                      .put("memory_mb", r.getInteger("memory_mb"))
                      .put("cpus", r.getString("cpus"))
                      .put("cancel_requested", r.getBoolean("cancel_requested"))
                      .put("lease_expires_at", Json.iso(r.getOffsetDateTime("lease_expires_at")))
                      .put("idempotency_key", r.getString("idempotency_key"))
                      .put("log_tail", r.getString("log_tail"))
                      .put("log_truncated", r.getInteger("log_length") > ApiSql.JOB_LOG_CHARS)
                      .put("result", r.getValue("result"));
              return pool.preparedQuery(ApiSql.JOB_EVENTS)
                  .execute(Tuple.of(id))
                  .map(
                      events -> {
                        JsonArray history = new JsonArray();
                        for (Row e : events) {
                          if (history.size() == ApiSql.JOB_EVENTS_MAX) {
                            break;
                          }
                          history.add(
                              new JsonObject()
                                  .put("at", Json.iso(e.getOffsetDateTime("at")))
                                  .put("from", e.getString("from_state"))
                                  .put("to", e.getString("to_state"))
                                  .put("worker", e.getString("worker"))
                                  .put("detail", e.getString("detail")));
                        }
                        return job.put("history", history)
                            .put("history_truncated", events.size() > ApiSql.JOB_EVENTS_MAX);
                      });
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

  private static JsonObject summary(Row r) {
    return new JsonObject()
        .put("id", r.getLong("id"))
        .put("kind", r.getString("kind"))
        .put("state", r.getString("state"))
        .put("priority", r.getInteger("priority"))
        .put("attempts", r.getInteger("attempts"))
        .put("max_attempts", r.getInteger("max_attempts"))
        .put("gpus", r.getInteger("gpus"))
        .put("exit_code", r.getInteger("exit_code"))
        .put("worker", r.getString("lease_owner"))
        .put("error", r.getString("error"))
        .put("created_at", Json.iso(r.getOffsetDateTime("created_at")))
        .put("started_at", Json.iso(r.getOffsetDateTime("started_at")))
        .put("finished_at", Json.iso(r.getOffsetDateTime("finished_at")));
  }
}
