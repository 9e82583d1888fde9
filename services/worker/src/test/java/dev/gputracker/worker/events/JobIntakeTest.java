package dev.gputracker.worker.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.config.ComponentSettings;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.testing.Sql;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Job requests from a real Kafka topic (KRaft broker in this JVM) into the real PostgreSQL queue.
 */
class JobIntakeTest {

  @Test
  @DisplayName(
      "poison messages land on the dead-letter topic with a reason; valid requests around them become jobs exactly once;"
          + " a stopped intake takes nothing more")
  void poisonAndValid() throws Exception {
    try (KafkaClusterTestKit kafka =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            // One broker: the consumer-offsets topic can only have one replica.
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build()) {
      kafka.format();
      kafka.startup();
      kafka.waitForReadyBrokers();
      DatabaseUrl db = TestDatabases.fresh();
      Vertx vertx = Vertx.vertx();
      try {
        Pool pool = Database.pool(vertx, db, "intake-test", 4);
        KafkaSettings settings =
            ComponentSettings.kafka(
                new Env(
                    Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        kafka.bootstrapServers(),
                        "KAFKA_TOPIC_PARTITIONS",
                        "2")));
        List<byte[]> messages = new ArrayList<>();
        messages.add(json(new JsonObject().put("request_id", "r1").put("kind", "noop")));
        messages.add("{not json".getBytes(StandardCharsets.UTF_8));
        messages.add(json(new JsonObject().put("request_id", 5).put("kind", "noop")));
        messages.add(
            json(
                new JsonObject()
                    .put("request_id", "big")
                    .put("kind", "noop")
                    .put("env", new JsonObject().put("X", "x".repeat(100_000)))));
        messages.add(json(new JsonObject().put("request_id", "r2").put("kind", "quantum")));
        messages.add(
            json(
                new JsonObject()
                    .put("request_id", "r3")
                    .put("kind", "command")
                    .put("command", List.of("/bin/true"))
                    .put("timeout_seconds", 30)));
        messages.add(
            json(new JsonObject().put("request_id", "r1").put("kind", "noop"))); // redelivered
        messages.add(json(new JsonObject().put("request_id", "r4").put("kind", "container")));
        messages.add(new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'});
        messages.add("[1, 2, 3]".getBytes(StandardCharsets.UTF_8));
        messages.add(
            json(new JsonObject().put("request_id", "r5").put("kind", "noop").put("priority", 7)));
        produce(kafka.bootstrapServers(), settings.jobRequestsTopic(), messages);

        JobIntake intake = new JobIntake(new JobQueue(pool), settings);
        String deployment = vertx.deployVerticle(intake).await();
        List<ConsumerRecord<String, String>> dead =
            OutboxRelayTest.consume(
                kafka.bootstrapServers(),
                settings.deadLetterTopic(),
                7,
                record -> header(record, "dlq-source-offset"));
        List<String> reasons = dead.stream().map(r -> header(r, "dlq-reason")).toList();
        assertThat(reasons).hasSize(7);
        assertThat(reasons.get(0)).startsWith("malformed JSON");
        assertThat(reasons.get(1)).contains("not a valid job request").contains("request_id");
        assertThat(reasons.get(2)).contains("over the limit");
        assertThat(reasons.get(3)).contains("not a valid job request").contains("kind");
        assertThat(reasons.get(4)).contains("not a valid job request");
        assertThat(reasons.get(5)).isEqualTo("not UTF-8 text");
        assertThat(reasons.get(6)).isEqualTo("a job request is a JSON object");
        assertThat(dead.get(0).value()).isEqualTo("{not json");
        assertThat(dead)
            .allSatisfy(
                r ->
                    assertThat(header(r, "dlq-source-topic"))
                        .isEqualTo(settings.jobRequestsTopic()));

        // Every valid request is a job, once; the redelivered r1 found its job.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (intake.queued() < 4 && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertThat(intake.queued()).isEqualTo(4);
        assertThat(Sql.column(db, "SELECT idempotency_key FROM jobs ORDER BY id"))
            .containsExactly("r1", "r3", "r5");
        assertThat(Sql.single(db, "SELECT priority FROM jobs WHERE idempotency_key = 'r5'"))
            .isEqualTo(7);
        // Offsets are committed for everything handled: a restarted intake has nothing left to
        // read.
        vertx.undeploy(deployment).await();
        assertThat(intake.phase()).isEqualTo(JobIntake.Phase.STOPPED);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
          long committed =
              admin
                  .listConsumerGroupOffsets("gpu-tracker-job-intake")
                  .partitionsToOffsetAndMetadata()
                  .get()
                  .entrySet()
                  .stream()
                  .filter(e -> e.getKey().topic().equals(settings.jobRequestsTopic()))
                  .mapToLong(e -> e.getValue().offset())
                  .sum();
          assertThat(committed).isEqualTo(messages.size());
        }

        // Stopped, the intake takes nothing more: a request sent now waits on the topic for the
        // next intake, which queues it once.
        long before = intake.queued();
        produce(
            kafka.bootstrapServers(),
            settings.jobRequestsTopic(),
            List.of(json(new JsonObject().put("request_id", "r6").put("kind", "noop"))));
        JobIntake next = new JobIntake(new JobQueue(pool), settings);
        String nextDeployment = vertx.deployVerticle(next).await();
        long nextDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (next.queued() < 1 && System.nanoTime() < nextDeadline) {
          Thread.onSpinWait();
        }
        assertThat(next.queued()).isEqualTo(1);
        assertThat(intake.queued()).isEqualTo(before);
        assertThat(Sql.column(db, "SELECT idempotency_key FROM jobs ORDER BY id"))
            .containsExactly("r1", "r3", "r5", "r6");
        vertx.undeploy(nextDeployment).await();
      } finally {
        vertx.close().await();
      }
    }
  }

  private static byte[] json(JsonObject o) {
    return o.encode().getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<String, String> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** All to one partition (one key), so the order of the dead letters is the order sent. */
  private static void produce(String bootstrap, String topic, List<byte[]> values)
      throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("max.request.size", Integer.toString(2 * 1024 * 1024));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (byte[] v : values) {
        producer.send(new ProducerRecord<>(topic, "client-a", v)).get();
      }
    }
  }
}
