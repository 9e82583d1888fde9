package dev.gputracker.worker.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.testing.EventContracts;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.config.ComponentSettings;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.jobs.queue.JobSpec;
import dev.gputracker.worker.retention.BatchedDelete;
import dev.gputracker.worker.testing.Sql;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The relay against a real Kafka broker (KRaft, in this JVM) and a real PostgreSQL outbox. */
class OutboxRelayTest {
  private static KafkaClusterTestKit kafka;
  private DatabaseUrl db;
  private Vertx vertx;
  private Pool pool;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .build();
    kafka.format();
    kafka.startup();
    kafka.waitForReadyBrokers();
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  @BeforeEach
  void setUp() {
    db = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, db, "relay-test", 4);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private KafkaSettings settings(String topic) {
    return ComponentSettings.kafka(
        new Env(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                kafka.bootstrapServers(),
                "KAFKA_EVENTS_TOPIC",
                topic,
                "KAFKA_TOPIC_PARTITIONS",
                "3")));
  }

  /**
   * Every record on the topic until {@code count} distinct event ids have arrived, in partition
   * order.
   */
  static List<ConsumerRecord<String, String>> consume(String bootstrap, String topic, int count) {
    return consume(bootstrap, topic, count, r -> new JsonObject(r.value()).getString("id"));
  }

  /**
   * Every record until {@code count} distinct identities ({@code identity} of a record) have
   * arrived.
   */
  static List<ConsumerRecord<String, String>> consume(
      String bootstrap,
      String topic,
      int count,
      Function<ConsumerRecord<String, String>, String> identity) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("auto.offset.reset", "earliest");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      // Partitions assigned by hand, read from the start: no consumer group, nothing remembered
      // between reads.
      List<TopicPartition> partitions = new ArrayList<>();
      while (partitions.isEmpty() && System.nanoTime() < deadline) {
        consumer
            .partitionsFor(topic)
            .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (ids.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r);
          ids.add(identity.apply(r));
        }
      }
    }
    return out;
  }

  @Test
  @DisplayName(
      "publishes every event once, keyed by entity, in order per key, as valid CloudEvents; a new relay resumes")
  void publishesInOrder() {
    JobQueue queue = new JobQueue(pool);
    for (int i = 0; i < 20; i++) {
      queue.submit(JobSpec.noop()).await();
    }
    List<Long> ids =
        queue.claim("w", 20, new double[0], Set.of("noop"), 30).await().stream()
            .map(j -> j.id())
            .toList();
    assertThat(ids).hasSize(20);
    OutboxRelay relay = new OutboxRelay(pool, db.connectOptions(), settings("events-a"));
    vertx.deployVerticle(relay).await();
    assertThat(relay.leading()).isTrue();
    List<ConsumerRecord<String, String>> records =
        consume(kafka.bootstrapServers(), "events-a", 40);
    assertThat(records).hasSize(40);
    Map<String, List<String>> perKey = new LinkedHashMap<>();
    for (ConsumerRecord<String, String> r : records) {
      JsonObject event = new JsonObject(r.value());
      EventContracts.assertHonoured(event);
      assertThat(r.key()).isEqualTo("job-" + event.getJsonObject("data").getLong("job_id"));
      assertThat(new String(r.headers().lastHeader("content-type").value()))
          .startsWith("application/cloudevents+json");
      perKey
          .computeIfAbsent(r.key(), k -> new ArrayList<>())
          .add(event.getJsonObject("data").getString("to"));
    }
    assertThat(perKey).hasSize(20);
    // The relay created the topic with the configured partitions (the broker's own default is one).
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
      assertThat(
              admin
                  .describeTopics(List.of("events-a"))
                  .allTopicNames()
                  .get()
                  .get("events-a")
                  .partitions())
          .hasSize(3);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    perKey.values().forEach(states -> assertThat(states).containsExactly("queued", "running"));
    vertx.undeploy(relay.deploymentID()).await();

    // A second relay (another worker, or this one restarted) continues after the saved cursor: no
    // repeats.
    queue.submit(JobSpec.noop()).await();
    OutboxRelay next = new OutboxRelay(pool, db.connectOptions(), settings("events-a"));
    vertx.deployVerticle(next).await();
    next.catchUp().await();
    assertThat(next.published()).isEqualTo(1);
    List<ConsumerRecord<String, String>> all = consume(kafka.bootstrapServers(), "events-a", 41);
    assertThat(all).hasSize(41);
    vertx.undeploy(next.deploymentID()).await();
  }

  @Test
  @DisplayName("only one relay leads at a time; the other takes over when it stops")
  void oneLeader() {
    OutboxRelay a = new OutboxRelay(pool, db.connectOptions(), settings("events-b"));
    OutboxRelay b = new OutboxRelay(pool, db.connectOptions(), settings("events-b"));
    vertx.deployVerticle(a).await();
    vertx.deployVerticle(b).await();
    assertThat(a.leading()).isTrue();
    assertThat(b.leading()).isFalse();
    vertx.undeploy(a.deploymentID()).await();
    new JobQueue(pool).submit(JobSpec.noop()).await();
    // b retries leadership every 10 s; the event is published once it leads.
    assertThat(consume(kafka.bootstrapServers(), "events-b", 1)).hasSize(1);
    assertThat(b.leading()).isTrue();
    vertx.undeploy(b.deploymentID()).await();
  }

  @Test
  @DisplayName(
      "a relay whose lock connection dies goes back to standby at once; the other relay takes over and publishes")
  void lockConnectionLost() throws Exception {
    OutboxRelay a = new OutboxRelay(pool, db.connectOptions(), settings("events-lost"));
    vertx.deployVerticle(a).await();
    assertThat(a.phase()).isEqualTo(OutboxRelay.Phase.LEADING);
    CompletableFuture<OutboxRelay.Phase> aSteppedDown = new CompletableFuture<>();
    a.observe(
        relay -> {
          if (relay.phase() != OutboxRelay.Phase.LEADING) {
            aSteppedDown.complete(relay.phase());
          }
        });
    // What a network cut or a database failover does to the lock's session: PostgreSQL ends it, the
    // lock is free.
    assertThat(
            pool.query(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND classid = "
                        + 0x47505554
                        + " AND granted"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
                .execute()
                .await()
                .size())
        .isEqualTo(1);
    // a's first phase after leading: standby, not stopped or draining.
    assertThat(aSteppedDown.get(10, TimeUnit.SECONDS)).isEqualTo(OutboxRelay.Phase.STANDBY);
    // Another worker's relay starts now (a tries again only on its next tick, 10 s after its
    // start): it finds the lock free and leads.
    OutboxRelay b = new OutboxRelay(pool, db.connectOptions(), settings("events-lost"));
    vertx.deployVerticle(b).await();
    assertThat(b.phase()).isEqualTo(OutboxRelay.Phase.LEADING);
    assertThat(a.leading()).as("a stays in standby while b leads").isFalse();
    new JobQueue(pool).submit(JobSpec.noop()).await();
    assertThat(consume(kafka.bootstrapServers(), "events-lost", 1)).isNotEmpty();
    vertx.undeploy(a.deploymentID()).await();
    vertx.undeploy(b.deploymentID()).await();
    assertThat(a.phase()).isEqualTo(OutboxRelay.Phase.STOPPED);
    assertThat(b.phase()).isEqualTo(OutboxRelay.Phase.STOPPED);
  }

  @Test
  @DisplayName(
      "undeployed while a batch is in flight, the relay reads no more, and the batch is acknowledged and its position saved")
  void stopDrainsTheBatchInFlight() throws Exception {
    Sql.execute(
        db,
        "INSERT INTO outbox (type, source, subject, key, time, data) SELECT 'job.state_changed', 'test',"
            + " 'job/' || i, 'job-' || i, now(), '{}' FROM generate_series(1, 5000) i");
    OutboxRelay relay = new OutboxRelay(pool, db.connectOptions(), settings("events-drain"));
    CompletableFuture<OutboxRelay.Round> atStop = new CompletableFuture<>();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    relay.observe(
        r -> {
          // The first batch has been handed to the producer: undeploy now, on the relay's loop.
          if (r.round().inFlight() > 0 && !atStop.isDone()) {
            atStop.complete(r.round());
            vertx
                .undeploy(r.deploymentID())
                .onComplete(ar -> stopped.complete(null), stopped::completeExceptionally);
          }
        });
    vertx.deployVerticle(relay).await();
    stopped.get(30, TimeUnit.SECONDS);
    assertThat(relay.phase()).isEqualTo(OutboxRelay.Phase.STOPPED);
    OutboxRelay.Round inFlight = atStop.get();
    // The first batch was in flight (2,000 events); it was acknowledged and its position saved,
    // and no batch read after the stop was sent.
    assertThat(relay.published()).isEqualTo(2_000);
    assertThat(relay.cursor()).isEqualTo(inFlight.read());
    assertThat(
            Sql.single(db, "SELECT tx::text || '.' || id FROM outbox_cursors WHERE name = 'kafka'"))
        .isEqualTo(inFlight.read().toString());
    Set<String> received = new HashSet<>();
    consume(kafka.bootstrapServers(), "events-drain", 2_000)
        .forEach(r -> received.add(new JsonObject(r.value()).getString("id")));
    assertThat(received).hasSize(2_000);
  }

  @Test
  @DisplayName(
      "events older than the retention are pruned once published; newer ones and unpublished ones stay")
  void prunesPublishedEvents() throws Exception {
    Sql.execute(
        db,
        "INSERT INTO outbox (type, source, subject, key, time, data) SELECT 'job.state_changed', 'test',"
            + " 'job/' || i, 'job-' || i, now() - interval '200 hours', '{}' FROM generate_series(1, 3) i");
    OutboxRelay relay =
        new OutboxRelay(
            pool,
            db.connectOptions(),
            ComponentSettings.kafka(
                new Env(
                    Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        kafka.bootstrapServers(),
                        "KAFKA_EVENTS_TOPIC",
                        "events-c"))));
    vertx.deployVerticle(relay).await();
    relay.catchUp().await();
    assertThat(relay.published()).isEqualTo(3);
    // An old event the relay has not published yet is not pruned. A transaction left open holds the
    // readers'
    // horizon behind the events written after it, so the live relay cannot publish them before the
    // prune.
    try (Connection open = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      open.setAutoCommit(false);
      open.createStatement().execute("SELECT pg_current_xact_id()");
      Sql.execute(
          db,
          "INSERT INTO outbox (type, source, subject, key, time, data) VALUES ('job.state_changed',"
              + " 'test', 'job/9', 'job-9', now() - interval '300 hours', '{}')");
      new JobQueue(pool).submit(JobSpec.noop()).await(); // a fresh one
      // Batches of two rows: the third old event goes in a second batch of the same pass.
      assertThat(relay.prune(Duration.ofHours(100), new BatchedDelete(2, 10), () -> false).await())
          .isEqualTo(3);
      assertThat(Sql.count(db, "SELECT count(*) FROM outbox")).isEqualTo(2);
      open.rollback();
    }
    vertx.undeploy(relay.deploymentID()).await();
  }
}
