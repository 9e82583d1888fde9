package dev.gputracker.shared.events.payload;

import java.time.Instant;

/**
 * {@code job.state_changed}: a compute job moved from one state to another ({@code from} is null
 * when queued).
 */
public record JobStateChanged(
    long jobId,
    String kind,
    @Nullable String from,
    String to,
    @Nullable String worker,
    @Nullable String detail,
    int attempts,
    Instant at)
    implements EventPayload {
  public static final String TYPE = "job.state_changed";
}
