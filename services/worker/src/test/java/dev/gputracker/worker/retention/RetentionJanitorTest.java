package dev.gputracker.worker.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.config.ComponentSettings;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.ops.WorkerMetrics;
import dev.gputracker.worker.persist.ListingStore;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.SourceStore;
import dev.gputracker.worker.persist.StoredListing;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import dev.gputracker.worker.testing.Sql;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Retention: rejects and the outbox are pruned in bounded batches, price points never")
class RetentionJanitorTest {
  private static final RetentionSettings DEFAULTS = ComponentSettings.retention(new Env(Map.of()));

  private DatabaseUrl db;
  private Vertx vertx;
  private Pool pool;
  private int sourceId;

  @BeforeEach
  void setUp() {
    db = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, db, "retention-test", 2);
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

  /**
   * {@code count} rejected listings last seen {@code daysAgo} days ago, ids prefixed by {@code
   * prefix}.
   */
  private void rejects(String prefix, int count, int daysAgo) {
    Sql.execute(
        db,
        "INSERT INTO rejected_listings (source_id, external_id, title, reason, first_seen_at,"
            + " last_seen_at) SELECT "
            + sourceId
            + ", '"
            + prefix
            + "' || i, 'a case fan ' || i, 'not_a_gpu',"
            + " now() - interval '400 days', now() - interval '"
            + daysAgo
            + " days' FROM generate_series(1, "
            + count
            + ") i");
  }

  private void events(int count, int hoursAgo) {
    Sql.execute(
        db,
        "INSERT INTO outbox (type, source, subject, key, time, data) SELECT 'job.state_changed', 'test',"
            + " 'job/' || i, 'job-' || i, now() - interval '"
            + hoursAgo
            + " hours', '{}' FROM generate_series(1, "
            + count
            + ") i");
  }

  private RetentionJanitor janitor(BatchedDelete batches, PruneListener listener) {
    return new RetentionJanitor(
        vertx, pool, DEFAULTS, batches, OutboxPrune.withoutKafka(pool), listener);
  }

  @Test
  @DisplayName(
      "defaults: rejects kept 90 days, outbox events 168 hours; out-of-range values stop start-up")
  void settings() {
    assertThat(DEFAULTS)
        .isEqualTo(new RetentionSettings(Duration.ofDays(90), Duration.ofHours(168)));
    assertThat(
            ComponentSettings.retention(new Env(Map.of("REJECTED_RETENTION_DAYS", "30"))).rejects())
        .isEqualTo(Duration.ofDays(30));
    assertThatThrownBy(
            () -> ComponentSettings.retention(new Env(Map.of("REJECTED_RETENTION_DAYS", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("REJECTED_RETENTION_DAYS");
    assertThatThrownBy(
            () -> ComponentSettings.retention(new Env(Map.of("OUTBOX_RETENTION_HOURS", "many"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OUTBOX_RETENTION_HOURS");
  }

  @Test
  @DisplayName(
      "rejects unseen for 90 days and outbox events older than a week go; recent ones stay; counted")
  void oldRowsGoRecentStay() {
    rejects("old-", 7, 91);
    rejects("recent-", 4, 89);
    events(5, 169);
    events(3, 167);
    WorkerMetrics metrics = new WorkerMetrics();

    RetentionJanitor.Pruned pruned = janitor(new BatchedDelete(3, 100), metrics).pass().await();

    assertThat(pruned).isEqualTo(new RetentionJanitor.Pruned(7, 5));
    assertThat(Sql.column(db, "SELECT external_id FROM rejected_listings ORDER BY external_id"))
        .containsExactly("recent-1", "recent-2", "recent-3", "recent-4");
    assertThat(Sql.count(db, "SELECT count(*) FROM outbox")).isEqualTo(3);
    assertThat(
            Sql.count(db, "SELECT count(*) FROM outbox WHERE time < now() - interval '168 hours'"))
        .isZero();
    assertThat(
            metrics
                .registry()
                .counter("gpu_tracker_pruned_rows", "table", "rejected_listings")
                .count())
        .isEqualTo(7.0);
    assertThat(metrics.registry().counter("gpu_tracker_pruned_rows", "table", "outbox").count())
        .isEqualTo(5.0);
    assertThat(metrics.registry().scrape())
        .contains("gpu_tracker_pruned_rows_total{table=\"rejected_listings\"}");

    assertThat(janitor(new BatchedDelete(3, 100), metrics).pass().await())
        .as("a second pass finds nothing")
        .isEqualTo(new RetentionJanitor.Pruned(0, 0));
  }

  @Test
  @DisplayName("a pass deletes at most its batch budget; the next pass takes the rest")
  void boundedPass() {
    rejects("old-", 10, 200);
    RetentionJanitor janitor = janitor(new BatchedDelete(3, 2), PruneListener.NONE);

    assertThat(janitor.pass().await().rejects()).isEqualTo(6);
    assertThat(Sql.count(db, "SELECT count(*) FROM rejected_listings")).isEqualTo(4);
    assertThat(janitor.pass().await().rejects()).isEqualTo(4);
    assertThat(Sql.count(db, "SELECT count(*) FROM rejected_listings")).isZero();
  }

  @Test
  @DisplayName("a stopped janitor deletes nothing more")
  void stopped() {
    rejects("old-", 5, 200);
    RetentionJanitor janitor = janitor(new BatchedDelete(2, 100), PruneListener.NONE);
    janitor.stop();
    assertThat(janitor.pass().await()).isEqualTo(new RetentionJanitor.Pruned(0, 0));
    assertThat(Sql.count(db, "SELECT count(*) FROM rejected_listings")).isEqualTo(5);
  }

  @Test
  @DisplayName(
      "price points are never pruned: a year-old price still holds, and so does a listing gone for a year")
  void pricePointsStay() {
    RunStore runs = new RunStore(pool);
    ListingStore store = new ListingStore(pool);
    long run = runs.startRun("test", "oneshot").await();
    store
        .writePage(
            sourceId, run, ListingKind.SALE, List.of(gpu("held", "499.00"), gpu("gone", "650.00")))
        .await();
    // Both first seen 400 days ago; "held" is still seen today at the same price (its one point is
    // its price now),
    // "gone" has not been seen for a year.
    Sql.execute(db, "UPDATE price_history SET observed_at = now() - interval '400 days'");
    Sql.execute(
        db,
        "UPDATE listings SET first_seen_at = now() - interval '400 days', last_seen_at = CASE"
            + " WHEN external_id = 'gone' THEN now() - interval '365 days' ELSE now() END,"
            + " active = (external_id = 'held')");
    rejects("old-", 3, 365);

    janitor(BatchedDelete.DEFAULT, PruneListener.NONE).pass().await();

    assertThat(Sql.count(db, "SELECT count(*) FROM rejected_listings")).isZero();
    assertThat(Sql.count(db, "SELECT count(*) FROM listings")).isEqualTo(2);
    assertThat(
            Sql.column(
                db,
                "SELECT l.external_id || ' ' || h.price FROM price_history h"
                    + " JOIN listings l ON l.id = h.listing_id ORDER BY 1"))
        .containsExactly("gone 650.0000", "held 499.0000");
  }

  @Test
  @DisplayName("the daemon's schedule runs a pass at once")
  void scheduleRunsAPassAtOnce() throws Exception {
    rejects("old-", 2, 100);
    AtomicBoolean told = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(2);
    RetentionJanitor janitor =
        janitor(
            BatchedDelete.DEFAULT,
            (table, rows) -> {
              if (table.equals("rejected_listings") && rows == 2) {
                told.set(true);
              }
              done.countDown();
            });
    janitor.schedule();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    janitor.stop();
    assertThat(told).isTrue();
    assertThat(Sql.count(db, "SELECT count(*) FROM rejected_listings")).isZero();
  }

  private static StoredListing gpu(String id, String price) {
    ScrapedListing l =
        ScrapedListing.builder(id, "MSI GeForce RTX 4070 12GB " + id)
            .price(new BigDecimal(price), "USD")
            .condition(Condition.NEW)
            .url("http://shop.test/" + id)
            .seller("seller")
            .location("US")
            .build();
    return new StoredListing(l, "rtx-4070", new BigDecimal(price));
  }
}
