package dev.gputracker.worker.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.config.ComponentSettings;
import dev.gputracker.worker.testing.KafkaBrokerProcess;
import dev.gputracker.worker.testing.Sql;
import dev.gputracker.worker.testing.TestShop;
import dev.gputracker.worker.testing.WorkerChild;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A worker process killed with SIGKILL after committing changes it had not yet published loses no
 * event.
 */
class RelayCrashTest {

  @Test
  @DisplayName(
      "kill -9 of the worker between commit and publish loses nothing: the next relay publishes the rest")
  void killBetweenCommitAndPublish() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start();
        TestShop shop = TestShop.start(2, 5)) {
      // The broker is away while the worker runs: every change commits, none can be published.
      kafka.down();
      Map<String, String> env =
          Map.of(
              "WORKER_MODE",
              "daemon",
              "SCRAPE_INTERVAL_SECONDS",
              "3600",
              "SOURCES_FILE",
              WorkerChild.sourcesFile("shop", shop.baseUrl(), 10).toString(),
              "KAFKA_BOOTSTRAP_SERVERS",
              kafka.bootstrapServers(),
              "KAFKA_EVENTS_TOPIC",
              "crash");
      try (WorkerChild worker = WorkerChild.start(db, env)) {
        worker.awaitOutput("Run 1 succeeded", 90);
        worker.kill();
        worker.waitFor(30);
      }
      long committed = Sql.count(db, "SELECT count(*) FROM outbox");
      assertThat(Sql.count(db, "SELECT count(*) FROM outbox WHERE type = 'listing.created'"))
          .isEqualTo(10);
      assertThat(Sql.count(db, "SELECT count(*) FROM outbox WHERE type = 'scrape_run.finished'"))
          .isEqualTo(1);
      assertThat(Sql.count(db, "SELECT count(*) FROM outbox WHERE type = 'worker.joined'"))
          .isEqualTo(1);
      assertThat(Sql.count(db, "SELECT count(*) FROM outbox_cursors"))
          .as("nothing was published")
          .isZero();

      kafka.up();
      Vertx vertx = Vertx.vertx();
      try {
        Pool pool = Database.pool(vertx, db, "next-relay", 2);
        OutboxRelay next =
            new OutboxRelay(
                pool,
                db.connectOptions(),
                ComponentSettings.kafka(
                    new Env(
                        Map.of(
                            "KAFKA_BOOTSTRAP_SERVERS",
                            kafka.bootstrapServers(),
                            "KAFKA_EVENTS_TOPIC",
                            "crash"))));
        vertx.deployVerticle(next).await();
        Set<String> received = new HashSet<>();
        OutboxRelayTest.consume(kafka.bootstrapServers(), "crash", (int) committed)
            .forEach(r -> received.add(new JsonObject(r.value()).getString("id")));
        Set<String> expected = new HashSet<>();
        Sql.column(db, "SELECT event_id::text FROM outbox")
            .forEach(id -> expected.add((String) id));
        assertThat(received).isEqualTo(expected);
        vertx.undeploy(next.deploymentID()).await();
      } finally {
        vertx.close().await();
      }
    }
  }
}
