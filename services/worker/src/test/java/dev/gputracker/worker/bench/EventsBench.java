package dev.gputracker.worker.bench;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import dev.gputracker.shared.db.OutboxReader;
import dev.gputracker.worker.config.ComponentSettings;
import dev.gputracker.worker.events.OutboxRelay;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * The relay half of {@code bench/events.sh} (a benchmark main, not a test): a real KRaft broker in
 * this JVM and an embedded PostgreSQL; {@code bench.events} outbox events are relayed to Kafka and
 * timed, then Kafka's own {@code ProducerPerformance} sends as many records of the same size, with
 * the same producer settings, to the same broker: the ceiling. Prints {@code RELAY
 * relay_events_per_s=... producer_records_per_s=... record_bytes=...}.
 */
public final class EventsBench {
  private static final int EVENTS = Integer.getInteger("bench.events", 100_000);
  private static final Pattern RATE = Pattern.compile("([\\d.]+) records/sec");

  private EventsBench() {}

  public static void main(String[] args) throws Exception {
    try (KafkaClusterTestKit kafka =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .build()) {
      kafka.format();
      kafka.startup();
      kafka.waitForReadyBrokers();
      Path dir = Files.createTempDirectory("gpu-tracker-events-bench");
      try (EmbeddedDatabase postgres = EmbeddedDatabase.start(dir, 0)) {
        DatabaseUrl db = postgres.url("bench");
        Migrator.migrate(db);
        int recordBytes = seed(db);
        Vertx vertx = Vertx.vertx();
        Pool pool = Database.pool(vertx, db, "events-bench", 4);
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
                            "bench-relay",
                            "KAFKA_TOPIC_PARTITIONS",
                            "6"))));
        var end = OutboxReader.end(pool).await();
        long start = System.nanoTime();
        vertx.deployVerticle(relay).await();
        while (relay.cursor().compareTo(end) < 0) {
          Thread.sleep(
              5); // the bench measures how long this takes; polling a cursor is the measurement
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double relayRate = EVENTS / seconds;
        vertx.undeploy(relay.deploymentID()).await();
        vertx.close().await();
        System.out.printf(
            Locale.ROOT,
            "relay: %,d events (%d bytes each) in %.2f s = %.0f events/s%n",
            EVENTS,
            recordBytes,
            seconds,
            relayRate);
        double ceiling = producerPerformance(kafka.bootstrapServers(), recordBytes);
        System.out.printf(
            Locale.ROOT, "ProducerPerformance, same size and settings: %.0f records/s%n", ceiling);
        System.out.printf(
            Locale.ROOT,
            "RELAY relay_events_per_s=%.0f producer_records_per_s=%.0f record_bytes=%d%n",
            relayRate,
            ceiling,
            recordBytes);
      }
    }
  }

  /**
   * {@code EVENTS} listing.created events, as the worker writes them; returns the envelope size in
   * bytes.
   */
  private static int seed(DatabaseUrl db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO outbox (type, source, subject, key, gpu, data)"
              + " SELECT 'listing.created', '/gpu-tracker/worker', 'listing/' || i, 'listing-' || i, 'rtx-4090',"
              + " jsonb_build_object('listing_id', i, 'source', 'amazon-us', 'external_id', 'B0' || i, 'kind', 'sale',"
              + " 'title', 'ASUS TUF Gaming GeForce RTX 4090 OC Edition Gaming Graphics Card (PCIe 4.0, 24GB GDDR6X)',"
              + " 'gpu', 'rtx-4090', 'price', '1799.9900', 'currency', 'USD', 'price_unit', 'total',"
              + " 'price_usd', '1799.9900', 'gpu_count', 1, 'url', 'https://www.amazon.com/dp/B0' || i, 'run_id', 1)"
              + " FROM generate_series(1, "
              + EVENTS
              + ") i");
      try (ResultSet rs = st.executeQuery("SELECT octet_length(data::text) FROM outbox LIMIT 1")) {
        rs.next();
        // The envelope adds about 330 bytes of CloudEvents attributes around the data.
        return rs.getInt(1) + 330;
      }
    }
  }

  private static double producerPerformance(String bootstrap, int recordBytes) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.apache.kafka.tools.ProducerPerformance",
                "--topic",
                "bench-ceiling",
                "--num-records",
                Integer.toString(EVENTS),
                "--record-size",
                Integer.toString(recordBytes),
                "--throughput",
                "-1",
                "--producer-props",
                "bootstrap.servers=" + bootstrap,
                "acks=all",
                "enable.idempotence=true",
                "max.in.flight.requests.per.connection=5",
                "linger.ms=5",
                "batch.size=262144",
                "compression.type=lz4"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    String last =
        out.lines().filter(l -> l.contains("records sent")).reduce((a, b) -> b).orElse("");
    Matcher m = RATE.matcher(last);
    if (!m.find()) {
      throw new IllegalStateException("no rate in ProducerPerformance's output:\n" + out);
    }
    return Double.parseDouble(m.group(1));
  }
}
