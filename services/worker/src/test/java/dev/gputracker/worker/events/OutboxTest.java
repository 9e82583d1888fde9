package dev.gputracker.worker.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.db.OutboxReader;
import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.events.OutboxEvent;
import dev.gputracker.shared.events.OutboxEvent.Position;
import dev.gputracker.shared.testing.EventContracts;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.jobs.queue.ClaimedJob;
import dev.gputracker.worker.jobs.queue.JobOutcome;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.jobs.queue.JobSpec;
import dev.gputracker.worker.persist.HealthStore;
import dev.gputracker.worker.persist.ListingStore;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.SourceStore;
import dev.gputracker.worker.persist.StoredListing;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every change the worker makes becomes an outbox event in the same transaction, valid against its
 * schema.
 */
class OutboxTest {
  private DatabaseUrl db;
  private Vertx vertx;
  private Pool pool;
  private ListingStore store;
  private RunStore runs;
  private int sourceId;

  @BeforeEach
  void setUp() {
    db = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, db, "outbox-test", 4);
    store = new ListingStore(pool);
    runs = new RunStore(pool);
    SourceConfig source =
        new SourceConfig(
            "shop",
            "demo",
            URI.create("http://shop.test/"),
            true,
            5,
            SourceConfig.FetchSettings.defaults(),
            new JsonObject());
    sourceId = new SourceStore(pool).sync(List.of(source)).await().get("shop");
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private static StoredListing gpu(String id, String price) {
    ScrapedListing l =
        ScrapedListing.builder(id, "MSI GeForce RTX 4070 12GB " + id)
            .price(new BigDecimal(price), "USD")
            .condition(Condition.NEW)
            .url("http://shop.test/" + id)
            .build();
    return new StoredListing(l, "rtx-4070", new BigDecimal(price));
  }

  private List<OutboxEvent> all() {
    return OutboxReader.parsedAfter(pool, Position.START, 10_000).await();
  }

  @Test
  @DisplayName(
      "created, price_changed, removed, relisted and run-finished events, each valid against its schema, in order")
  void listingAndRunEvents() {
    long run1 = runs.startRun("w1", "oneshot").await();
    store
        .writePage(
            sourceId, run1, ListingKind.SALE, List.of(gpu("a", "500.00"), gpu("b", "600.00")))
        .await();
    store.markRemoved(sourceId, run1).await();
    runs.finishRun(run1, "succeeded").await();
    long run2 = runs.startRun("w1", "oneshot").await();
    runs.startSource(run2, sourceId).await();
    // a: price drop; b: gone this run; unchanged pages make no events.
    store.writePage(sourceId, run2, ListingKind.SALE, List.of(gpu("a", "450.00"))).await();
    store.writePage(sourceId, run2, ListingKind.SALE, List.of(gpu("a", "450.00"))).await();
    assertThat(store.markRemoved(sourceId, run2).await()).isEqualTo(1);
    runs.finishRun(run2, "succeeded").await();
    long run3 = runs.startRun("w1", "oneshot").await();
    store
        .writePage(
            sourceId, run3, ListingKind.SALE, List.of(gpu("a", "450.00"), gpu("b", "600.00")))
        .await();

    List<OutboxEvent> events = all();
    assertThat(events)
        .extracting(OutboxEvent::type)
        .containsExactly(
            "listing.created",
            "listing.created",
            "scrape_run.finished",
            "listing.price_changed",
            "listing.removed",
            "scrape_run.finished",
            "listing.created");
    for (OutboxEvent e : events) {
      JsonObject envelope = e.envelope();
      EventContracts.assertHonoured(envelope);
    }
    JsonObject drop = events.get(3).data();
    assertThat(events.get(0).data().getString("source"))
        .as("a new listing's source")
        .isEqualTo("shop");
    assertThat(drop.getString("source"))
        .as("an updated listing's source (its stored copy)")
        .isEqualTo("shop");
    assertThat(drop.getString("price")).isEqualTo("450.0000");
    assertThat(drop.getJsonObject("previous").getString("price")).isEqualTo("500.0000");
    assertThat(events.get(3).key()).isEqualTo("listing-" + drop.getLong("listing_id"));
    assertThat(events.get(4).data().getString("external_id")).isEqualTo("b");
    assertThat(events.get(5).data().getJsonArray("sources").getJsonObject(0).getString("source"))
        .isEqualTo("shop");
    assertThat(events.get(6).data().getBoolean("relisted")).isTrue();
    assertThat(events.get(6).gpu()).isEqualTo("rtx-4070");
    // Positions strictly increase, and reading after a position resumes exactly there.
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).position()).isGreaterThan(events.get(i - 1).position());
    }
    assertThat(OutboxReader.parsedAfter(pool, events.get(4).position(), 100).await())
        .extracting(OutboxEvent::type)
        .containsExactly("scrape_run.finished", "listing.created");
    assertThat(OutboxReader.end(pool).await()).isEqualTo(events.get(6).position());
    // The envelope around the payload: CloudEvents attributes, and the payload as the database
    // holds it.
    JsonObject first = events.get(0).envelope();
    assertThat(first.getString("specversion")).isEqualTo("1.0");
    assertThat(UUID.fromString(first.getString("id"))).isNotNull();
    assertThat(first.getString("subject"))
        .isEqualTo("listing/" + first.getJsonObject("data").getLong("listing_id"));
    assertThat(first.getString("position")).isEqualTo(events.get(0).position().toString());
  }

  @Test
  @DisplayName(
      "a source's health change is one source.health_changed event, valid against its schema; no change, no"
          + " event; a skipped run is 'skipped' in scrape_run.finished")
  void healthEvents() {
    HealthStore health = new HealthStore(pool);
    long run1 = runs.startRun("w1", "oneshot").await();
    assertThat(health.record(sourceId, run1, "ok", null).await()).contains("never_run");
    assertThat(health.record(sourceId, run1, "ok", null).await()).isEmpty();
    long run2 = runs.startRun("w1", "oneshot").await();
    assertThat(
            health
                .record(sourceId, run2, "suspect", "listings read fell to 6 from a median of 30")
                .await())
        .contains("ok");
    assertThat(
            health
                .record(sourceId, run2, "suspect", "listings read fell to 5 from a median of 30")
                .await())
        .as("the reason moved, the health did not")
        .isEmpty();
    runs.finishRun(run2, "skipped").await();
    List<OutboxEvent> events = all();
    assertThat(events)
        .extracting(OutboxEvent::type)
        .containsExactly("source.health_changed", "source.health_changed", "scrape_run.finished");
    for (OutboxEvent e : events) {
      EventContracts.assertHonoured(e.envelope());
    }
    assertThat(events.get(1).data())
        .isEqualTo(
            new JsonObject()
                .put("source", "shop")
                .put("health", "suspect")
                .put("previous", "ok")
                .put("reason", "listings read fell to 6 from a median of 30")
                .put("run_id", run2));
    assertThat(events.get(1).key()).isEqualTo("source-shop");
    assertThat(events.get(2).data().getString("status")).isEqualTo("skipped");
  }

  @Test
  @DisplayName(
      "every job state change is an event in the same transaction, valid against its schema")
  void jobEvents() {
    JobQueue queue = new JobQueue(pool);
    long id = queue.submit(JobSpec.noop()).await();
    List<ClaimedJob> claimed = queue.claim("w1", 10, new double[0], Set.of("noop"), 30).await();
    assertThat(claimed).hasSize(1);
    queue
        .complete(
            "w1", List.of(new JobQueue.Completion(id, JobOutcome.succeeded(new JsonObject()))))
        .await();
    List<OutboxEvent> events = all();
    assertThat(events)
        .extracting(e -> e.data().getString("to"))
        .containsExactly("queued", "running", "succeeded");
    for (OutboxEvent e : events) {
      assertThat(e.type()).isEqualTo("job.state_changed");
      assertThat(e.key()).isEqualTo("job-" + id);
      EventContracts.assertHonoured(e.envelope());
    }
  }

  @Test
  @DisplayName(
      "a transaction still open holds readers back, so an event committed later is never skipped")
  void openTransactionHoldsReadersBack() throws Exception {
    long run = runs.startRun("w1", "oneshot").await();
    try (Connection slow = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = slow.createStatement()) {
      slow.setAutoCommit(false);
      // The slow transaction takes its outbox id first, then a fast one commits after it.
      st.execute(
          "INSERT INTO outbox (type, source, subject, key, data) VALUES ('scrape_run.finished', 'test',"
              + " 'scrape_run/1', 'scrape_run-1', '{}')");
      store.writePage(sourceId, run, ListingKind.SALE, List.of(gpu("a", "500.00"))).await();
      assertThat(all()).as("the fast commit waits behind the open transaction").isEmpty();
      slow.commit();
    }
    List<OutboxEvent> events = all();
    assertThat(events)
        .extracting(OutboxEvent::type)
        .containsExactly("scrape_run.finished", "listing.created");
    assertThat(events.get(0).position().id()).isLessThan(events.get(1).position().id());
  }

  @Test
  @DisplayName("positions parse back from their text, and anything else is refused")
  void positions() {
    Position p = new Position(981, 12);
    assertThat(Position.parse(p.toString())).isEqualTo(p);
    for (String bad :
        List.of("", "1", "1.", ".1", "a.b", "-1.2", "1.2.3", "99999999999999999999.1")) {
      Assertions.assertThatThrownBy(() -> Position.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
