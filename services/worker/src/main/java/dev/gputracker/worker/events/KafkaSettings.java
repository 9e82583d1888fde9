package dev.gputracker.worker.events;

import java.util.Optional;

/**
 * Where events go and where job requests come from. Kafka is optional: without {@code
 * KAFKA_BOOTSTRAP_SERVERS} the outbox still feeds the API's live stream, and the relay and the
 * intake do not start. Read once at start-up ({@code config.ComponentSettings}).
 *
 * @param bootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}, e.g. {@code kafka:9092}
 * @param eventsTopic {@code KAFKA_EVENTS_TOPIC} (default {@code gpu-tracker.events}): every event
 *     type, keyed by entity
 * @param jobRequestsTopic {@code KAFKA_JOB_REQUESTS_TOPIC} (default {@code
 *     gpu-tracker.job-requests})
 * @param deadLetterTopic {@code KAFKA_JOB_REQUESTS_DLQ_TOPIC} (default {@code
 *     gpu-tracker.job-requests.dlq})
 * @param partitions {@code KAFKA_TOPIC_PARTITIONS} (default 6) for topics the worker creates
 * @param replicationFactor {@code KAFKA_REPLICATION_FACTOR} (default 1) for topics the worker
 *     creates
 */
public record KafkaSettings(
    Optional<String> bootstrapServers,
    String eventsTopic,
    String jobRequestsTopic,
    String deadLetterTopic,
    int partitions,
    short replicationFactor) {

  public boolean enabled() {
    return bootstrapServers.isPresent();
  }
}
