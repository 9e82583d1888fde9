package dev.gputracker.shared.events.payload;

import java.time.Instant;

/** {@code worker.left}: a worker stopped cleanly, or another one noticed its heartbeat was lost. */
public record WorkerLeft(String worker, String host, String reason, Instant lastHeartbeatAt)
    implements EventPayload {
  public static final String TYPE = "worker.left";
}
