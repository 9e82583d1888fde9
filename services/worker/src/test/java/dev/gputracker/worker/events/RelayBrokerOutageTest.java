package dev.gputracker.worker.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.config.ComponentSettings;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.persist.ListingStore;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.SourceStore;
import dev.gputracker.worker.persist.StoredListing;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import dev.gputracker.worker.testing.KafkaBrokerProcess;
import dev.gputracker.worker.testing.Sql;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away while the worker keeps changing listings, and comes back on the same address
 * with its data (a real KRaft broker process started from the Kafka jars, stopped and started again
 * on its log directory): the relay backs off, then publishes everything, and a consumer sees every
 * event, in order per listing.
 */
class RelayBrokerOutageTest {

  private static List<StoredListing> page(int page, int round) {
    List<StoredListing> out = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String id = "p" + page + "-" + i;
      BigDecimal price = BigDecimal.valueOf(100 + round);
      ScrapedListing l =
          ScrapedListing.builder(id, "GeForce RTX 4070 " + id)
              .price(price, "USD")
              .condition(Condition.NEW)
              .url("http://shop.test/" + id)
              .build();
      out.add(new StoredListing(l, "rtx-4070", price));
    }
    return out;
  }

  @Test
  @DisplayName(
      "5,000 changes while the broker is away for most of them: every event id arrives, in order per key")
  void brokerOutage() throws Exception {
    KafkaBrokerProcess kafka = KafkaBrokerProcess.start();
    String bootstrap = kafka.bootstrapServers();
    DatabaseUrl db = TestDatabases.fresh();
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, db, "outage-test", 4);
      SourceConfig source =
          new SourceConfig(
              "shop",
              "demo",
              URI.create("http://shop.test/"),
              true,
              5,
              SourceConfig.FetchSettings.defaults(),
              new JsonObject());
      int sourceId = new SourceStore(pool).sync(List.of(source)).await().get("shop");
      ListingStore store = new ListingStore(pool);
      long run = new RunStore(pool).startRun("w", "daemon").await();
      OutboxRelay relay =
          new OutboxRelay(
              pool,
              db.connectOptions(),
              ComponentSettings.kafka(
                  new Env(
                      Map.of(
                          "KAFKA_BOOTSTRAP_SERVERS",
                          bootstrap,
                          "KAFKA_EVENTS_TOPIC",
                          "outage",
                          "KAFKA_TOPIC_PARTITIONS",
                          "4"))));
      vertx.deployVerticle(relay).await();
      // 500 listings created, then nine price changes each: 5,000 events over 500 keys.
      for (int round = 0; round < 10; round++) {
        if (round == 2) {
          kafka
              .down(); // the broker goes away with 1,000 changes written; 4,000 more follow without
          // it
        }
        for (int p = 0; p < 10; p++) {
          store.writePage(sourceId, run, ListingKind.SALE, page(p, round)).await();
        }
      }
      assertThat(Sql.count(db, "SELECT count(*) FROM outbox")).isEqualTo(5_000);
      kafka.up(); // back, same address, same data

      List<ConsumerRecord<String, String>> records =
          OutboxRelayTest.consume(bootstrap, "outage", 5_000);
      Set<String> ids = new HashSet<>();
      Map<String, List<Integer>> pricesPerKey = new HashMap<>();
      for (ConsumerRecord<String, String> r : records) {
        JsonObject event = new JsonObject(r.value());
        if (ids.add(
            event.getString("id"))) { // at least once: a repeated id is dropped, as consumers do
          pricesPerKey
              .computeIfAbsent(r.key(), k -> new ArrayList<>())
              .add(new BigDecimal(event.getJsonObject("data").getString("price")).intValue());
        }
      }
      Set<String> expected = new HashSet<>();
      Sql.column(db, "SELECT event_id::text FROM outbox").forEach(id -> expected.add((String) id));
      assertThat(ids).as("every event id, none missing").isEqualTo(expected);
      assertThat(pricesPerKey).hasSize(500);
      List<Integer> inOrder = List.of(100, 101, 102, 103, 104, 105, 106, 107, 108, 109);
      pricesPerKey.forEach((key, prices) -> assertThat(prices).as(key).isEqualTo(inOrder));
      vertx.undeploy(relay.deploymentID()).await();
    } finally {
      try {
        vertx.close().await();
      } finally {
        kafka.close(); // also when the close above is interrupted by the test's timeout
      }
    }
  }
}
