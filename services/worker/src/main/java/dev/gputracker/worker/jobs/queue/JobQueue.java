package dev.gputracker.worker.jobs.queue;

import dev.gputracker.shared.jobs.JobJson;
import dev.gputracker.shared.jobs.JobReads;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PostgreSQL job queue. Claims use {@code FOR UPDATE SKIP LOCKED} so concurrent workers never
 * get the same job; leases expire and {@link #reap()} re-queues (or marks dead) what a crashed
 * worker held. Every state change inserts its job_events row in the same statement, and
 * submits/requeues {@code NOTIFY jobs_queued}.
 */
public final class JobQueue {
  public static final String CHANNEL = JobSql.CHANNEL;

  private final Pool pool;

  /** How many jobs are in each state. */
  public static Future<Map<String, Long>> countByState(Pool pool) {
    return pool.preparedQuery(JobSql.COUNT_BY_STATE)
        .execute()
        .map(
            rows -> {
              Map<String, Long> out = new HashMap<>();
              rows.forEach(r -> out.put(r.getString("state"), r.getLong("n")));
              return out;
            });
  }

  public JobQueue(Pool pool) {
    this.pool = pool;
  }

  /**
   * Submits a validated job; with an idempotency key, a repeat returns the first job's id and adds
   * no row.
   */
  public Future<Long> submit(JobSpec spec) {
    JobSpec s;
    try {
      s = spec.validate();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Tuple t =
        Tuple.tuple()
            .addString(s.kind())
            .addString(s.image())
            .addArrayOfString(s.command().toArray(String[]::new))
            .addValue(s.env() == null ? new JsonObject() : s.env())
            .addInteger(s.gpus())
            .addDouble(s.minVramGb())
            .addInteger(s.timeoutSeconds())
            .addInteger(s.priority())
            .addInteger(s.maxAttempts())
            .addString(s.idempotencyKey())
            .addBoolean(s.limits().network())
            .addInteger(s.limits().memoryMb())
            .addDouble(s.limits().cpus());
    return pool.preparedQuery(JobSql.SUBMIT)
        .execute(t)
        .compose(
            rows -> {
              if (rows.size() > 0) {
                return Future.succeededFuture(rows.iterator().next().getLong("id"));
              }
              return pool.preparedQuery(JobSql.BY_KEY)
                  .execute(Tuple.of(s.idempotencyKey()))
                  .map(r -> r.iterator().next().getLong("id"));
            });
  }

  /**
   * Leases up to {@code limit} queued jobs of the given kinds to {@code owner}, each of which fits
   * the free local GPUs on its own ({@code freeVramGb}: the memory of each free device). Several
   * claimed jobs may together need more than is free: the runner assigns devices and {@link
   * #release releases} what did not fit.
   */
  public Future<List<ClaimedJob>> claim(
      String owner, int limit, double[] freeVramGb, Set<String> kinds, int leaseSeconds) {
    Double[] free = new Double[freeVramGb.length];
    for (int i = 0; i < free.length; i++) {
      free[i] = freeVramGb[i];
    }
    Tuple t = Tuple.of(owner, free, kinds.toArray(String[]::new), limit, leaseSeconds);
    return pool.preparedQuery(JobSql.CLAIM)
        .execute(t)
        .map(
            rows -> {
              List<ClaimedJob> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                String[] argv = r.getArrayOfStrings("command");
                out.add(
                    new ClaimedJob(
                        r.getLong("id"),
                        r.getString("kind"),
                        r.getString("image"),
                        argv == null ? List.of() : Arrays.asList(argv),
                        (JsonObject) r.getValue("env"),
                        r.getInteger("gpus"),
                        r.getDouble("min_vram_gb"),
                        r.getInteger("timeout_seconds"),
                        r.getInteger("attempts"),
                        new JobLimits(
                            r.getBoolean("network"),
                            r.getInteger("memory_mb"),
                            r.getDouble("cpus")),
                        List.of()));
              }
              return out;
            });
  }

  /** A finished job of a batch. */
  public record Completion(long jobId, JobOutcome outcome) {}

  /**
   * Completes a batch in one round trip; returns how many were still leased to {@code owner} and so
   * recorded.
   */
  public Future<Integer> complete(String owner, List<Completion> done) {
    if (done.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Long[] ids = new Long[done.size()];
    JsonObject outcomes = new JsonObject();
    for (int i = 0; i < ids.length; i++) {
      Completion c = done.get(i);
      JobOutcome o = c.outcome();
      ids[i] = c.jobId();
      JsonObject row = new JsonObject().put("state", o.state());
      putIfPresent(row, "exit_code", o.exitCode());
      putIfPresent(row, "log_tail", o.logTail());
      putIfPresent(row, "result", o.result());
      putIfPresent(row, "error", o.error());
      outcomes.put(Long.toString(c.jobId()), row);
    }
    return pool.preparedQuery(JobSql.COMPLETE)
        .execute(Tuple.of(owner, ids, outcomes))
        .map(rows -> rows.iterator().next().getInteger("n"));
  }

  /**
   * Absent keys read as SQL NULL; a JSON null would be stored as JSON's {@code null} in the jsonb
   * column.
   */
  private static void putIfPresent(JsonObject row, String key, Object value) {
    if (value != null) {
      row.put(key, value);
    }
  }

  /**
   * Extends the leases of {@code ids}; the result lists the ids whose cancellation was requested.
   */
  public Future<List<Long>> heartbeat(String owner, List<Long> ids, int leaseSeconds) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery(JobSql.HEARTBEAT)
        .execute(Tuple.of(owner, ids.toArray(Long[]::new), leaseSeconds))
        .map(
            rows -> {
              List<Long> cancel = new ArrayList<>();
              rows.forEach(
                  r -> {
                    if (r.getBoolean("cancel_requested")) {
                      cancel.add(r.getLong("id"));
                    }
                  });
              return cancel;
            });
  }

  /** The ids among {@code ids} whose job is running under a lease that has not expired. */
  public Future<Set<Long>> liveLeases(List<Long> ids) {
    return pool.preparedQuery(JobSql.LIVE_LEASES)
        .execute(Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new)))
        .map(
            rows -> {
              Set<Long> live = new HashSet<>();
              rows.forEach(r -> live.add(r.getLong("id")));
              return live;
            });
  }

  /**
   * Re-queues (or marks dead after max attempts) running jobs whose lease expired; returns how
   * many.
   */
  public Future<Integer> reap() {
    return pool.query(JobSql.REAP).execute().map(RowSet::size);
  }

  /** Hands claimed-but-unstarted jobs back to the queue without spending an attempt. */
  public Future<Integer> release(String owner, List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(0);
    }
    // Tuple.tuple(): Tuple.of(owner, array) would spread the array as varargs.
    return pool.preparedQuery(JobSql.RELEASE)
        .execute(Tuple.tuple().addString(owner).addArrayOfLong(ids.toArray(Long[]::new)))
        .map(RowSet::size);
  }

  /**
   * Cancels a queued job at once, or flags a running one for its executor to stop; false if already
   * final.
   */
  public Future<Boolean> cancel(long id) {
    return pool.preparedQuery(JobSql.CANCEL_QUEUED)
        .execute(Tuple.of(id))
        .compose(
            r ->
                r.size() > 0
                    ? Future.succeededFuture(true)
                    : pool.preparedQuery(JobSql.CANCEL_RUNNING)
                        .execute(Tuple.of(id))
                        .map(x -> x.size() > 0));
  }

  /**
   * The job as JSON ({@link JobJson#job}: its environment by names only) with the last {@code
   * logChars} characters of its log and its first {@code maxEvents} state changes ({@code
   * history}), or null when absent.
   */
  public Future<JsonObject> show(long id, int logChars, int maxEvents) {
    return pool.preparedQuery(JobReads.JOB)
        .execute(Tuple.of(id, logChars))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(null);
              }
              JsonObject job = JobJson.job(rows.iterator().next());
              return pool.preparedQuery(JobReads.JOB_EVENTS)
                  .execute(Tuple.of(id, maxEvents + 1))
                  .map(events -> JobJson.withHistory(job, events, maxEvents));
            });
  }

  /**
   * Newest jobs first below the id {@code before} (keyset paging: {@code Long.MAX_VALUE} for the
   * first page), optionally filtered by state and kind; each as {@link JobJson#summary}.
   */
  public Future<List<JsonObject>> list(String state, String kind, long before, int limit) {
    return pool.preparedQuery(JobReads.JOBS)
        .execute(Tuple.of(before, state, kind, limit))
        .map(
            rows -> {
              List<JsonObject> out = new ArrayList<>(rows.size());
              rows.forEach(r -> out.add(JobJson.summary(r)));
              return out;
            });
  }
}
