package dev.gputracker.shared.events.payload;

import java.util.List;
import java.util.Map;

/**
 * {@code job.request}: a compute job asked for through Kafka (the intake's input, not an outbox
 * event).
 */
public record JobRequest(
    String requestId,
    String kind,
    @MayBeAbsent String image,
    @MayBeAbsent List<String> command,
    @MayBeAbsent Map<String, String> env,
    @MayBeAbsent Integer gpus,
    @MayBeAbsent Double minVramGb,
    @MayBeAbsent Integer timeoutSeconds,
    @MayBeAbsent Integer priority,
    @MayBeAbsent Integer maxAttempts,
    @MayBeAbsent Boolean network,
    @MayBeAbsent Integer memoryMb,
    @MayBeAbsent Double cpus)
    implements EventPayload {
  public static final String TYPE = "job.request";
}
