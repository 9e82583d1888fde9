package dev.gputracker.worker.retention;

import dev.gputracker.shared.config.Env;
import java.time.Duration;

/**
 * How long the worker keeps what would otherwise grow without bound. Price points are not among
 * them: a price holds until it changes, so a listing's history is kept whole for as long as the
 * listing is.
 *
 * @param rejects {@code REJECTED_RETENTION_DAYS} (default 90): a rejected listing not seen for this
 *     long is deleted (one seen again is recorded afresh)
 * @param outbox {@code OUTBOX_RETENTION_HOURS} (default 168): events older than this are deleted
 *     (with Kafka, only once published); a live-stream client can resume from within this window
 */
public record RetentionSettings(Duration rejects, Duration outbox) {
  public static RetentionSettings from(Env env) {
    return new RetentionSettings(
        Duration.ofDays(env.integer("REJECTED_RETENTION_DAYS", 90, 1, 3650)),
        Duration.ofHours(env.integer("OUTBOX_RETENTION_HOURS", 168, 1, 24 * 365)));
  }
}
