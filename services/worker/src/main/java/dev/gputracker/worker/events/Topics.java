package dev.gputracker.worker.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.List;
import java.util.Map;

/**
 * Creates the worker's topics at start-up when they do not exist (partitions and replication from
 * the settings).
 */
final class Topics {
  private Topics() {}

  static Future<Void> ensure(Vertx vertx, KafkaSettings settings, List<String> names) {
    KafkaAdminClient admin =
        KafkaAdminClient.create(
            vertx,
            Map.of(
                "bootstrap.servers",
                settings.bootstrapServers().orElseThrow(),
                "request.timeout.ms",
                "5000",
                "default.api.timeout.ms",
                "10000"));
    return admin
        .listTopics()
        .compose(
            existing -> {
              List<NewTopic> missing =
                  names.stream()
                      .filter(n -> !existing.contains(n))
                      .map(
                          n -> new NewTopic(n, settings.partitions(), settings.replicationFactor()))
                      .toList();
              return missing.isEmpty()
                  ? Future.<Void>succeededFuture()
                  : admin.createTopics(missing);
            })
        .eventually(admin::close);
  }
}
