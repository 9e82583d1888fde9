package dev.gputracker.worker.jobs.queue;

import io.vertx.core.json.JsonObject;

/** How a run ended: state is succeeded, failed, timed_out or cancelled. */
public record JobOutcome(
    String state, Integer exitCode, String logTail, JsonObject result, String error) {
  /** Largest log tail kept (characters); the column has a CHECK on the same bound. */
  public static final int MAX_LOG_TAIL = 65_536;

  public static JobOutcome succeeded(JsonObject result) {
    return new JobOutcome("succeeded", 0, null, result, null);
  }

  public static JobOutcome failed(String error) {
    return new JobOutcome("failed", null, null, null, error);
  }
}
