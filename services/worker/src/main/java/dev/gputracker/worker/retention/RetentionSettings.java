package dev.gputracker.worker.retention;

import java.time.Duration;

/**
 * How long the worker keeps what would otherwise grow without bound. Price points are not among
 * them: a price holds until it changes, so a listing's history is kept whole for as long as the
 * listing is. Read once at start-up ({@code config.ComponentSettings}).
 *
 * @param rejects {@code REJECTED_RETENTION_DAYS} (default 90): a rejected listing not seen for this
 *     long is deleted (one seen again is recorded afresh)
 * @param outbox {@code OUTBOX_RETENTION_HOURS} (default 168): events older than this are deleted
 *     (with Kafka, only once published); a live-stream client can resume from within this window
 */
public record RetentionSettings(Duration rejects, Duration outbox) {}
