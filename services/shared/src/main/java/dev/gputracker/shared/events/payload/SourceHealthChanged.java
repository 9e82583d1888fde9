package dev.gputracker.shared.events.payload;

/** {@code source.health_changed}: a source's health verdict changed (ok, suspect, failing). */
public record SourceHealthChanged(
    String source, String health, String previous, @Nullable String reason, long runId)
    implements EventPayload {
  public static final String TYPE = "source.health_changed";
}
