package dev.gputracker.shared.events.payload;

import java.time.Instant;

/**
 * {@code worker.joined}: a worker process started; {@code gpus} is the JSON its GPU detection
 * found.
 */
public record WorkerJoined(
    String worker,
    String host,
    Object gpus,
    int capacity,
    @Nullable String version,
    Instant startedAt)
    implements EventPayload {
  public static final String TYPE = "worker.joined";
}
