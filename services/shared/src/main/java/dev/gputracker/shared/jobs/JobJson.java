package dev.gputracker.shared.jobs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * A job as JSON, from the rows of {@link JobReads}' statements: one shape for {@code /api/jobs} and
 * the operator's {@code jobs list|show}. Times are ISO-8601 text ({@code 2026-12-07T23:47:28Z}).
 */
public final class JobJson {
  private JobJson() {}

  /** A row of {@link JobReads#JOBS} (or {@link JobReads#JOB}): what a list shows of a job. */
  public static JsonObject summary(Row r) {
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
        .put("created_at", iso(r.getOffsetDateTime("created_at")))
        .put("started_at", iso(r.getOffsetDateTime("started_at")))
        .put("finished_at", iso(r.getOffsetDateTime("finished_at")));
  }

  /** The row of {@link JobReads#JOB}: the whole job, its environment by names only. */
  public static JsonObject job(Row r) {
    return summary(r)
        .put("image", r.getString("image"))
        .put("command", strings(r.getArrayOfStrings("command")))
        .put("env_keys", strings(r.getArrayOfStrings("env_keys")))
        .put("min_vram_gb", r.getString("min_vram_gb"))
        .put("timeout_seconds", r.getInteger("timeout_seconds"))
        .put("network", r.getBoolean("network"))
        .put("memory_mb", r.getInteger("memory_mb"))
        .put("cpus", r.getString("cpus"))
        .put("cancel_requested", r.getBoolean("cancel_requested"))
        .put("lease_expires_at", iso(r.getOffsetDateTime("lease_expires_at")))
        .put("idempotency_key", r.getString("idempotency_key"))
        .put("log_tail", r.getString("log_tail"))
        .put("log_truncated", r.getBoolean("log_truncated"))
        .put("result", r.getValue("result"));
  }

  /**
   * The job with its state history from the rows of {@link JobReads#JOB_EVENTS}, read with a limit
   * of {@code max + 1}: {@code history} holds the first {@code max}, {@code history_truncated} says
   * whether there were more.
   */
  public static JsonObject withHistory(JsonObject job, Iterable<Row> events, int max) {
    JsonArray history = new JsonArray();
    boolean truncated = false;
    for (Row e : events) {
      if (history.size() == max) {
        truncated = true;
        break;
      }
      history.add(
          new JsonObject()
              .put("at", iso(e.getOffsetDateTime("at")))
              .put("from", e.getString("from_state"))
              .put("to", e.getString("to_state"))
              .put("worker", e.getString("worker"))
              .put("detail", e.getString("detail")));
    }
    return job.put("history", history).put("history_truncated", truncated);
  }

  /** ISO-8601 with the offset, as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes it. */
  static String iso(OffsetDateTime t) {
    return t == null ? null : t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  private static JsonArray strings(String[] values) {
    return new JsonArray(values == null ? List.of() : Arrays.asList(values));
  }
}
