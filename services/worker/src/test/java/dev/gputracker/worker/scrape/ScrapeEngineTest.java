package dev.gputracker.worker.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.testing.Fixtures;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.config.FallbackRates;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.config.WorkerMode;
import dev.gputracker.worker.demo.DemoInventory;
import dev.gputracker.worker.demo.DemoMarketplace;
import dev.gputracker.worker.runtime.WorkerRuntime;
import dev.gputracker.worker.scrape.model.SourceReport;
import dev.gputracker.worker.testing.Sql;
import dev.gputracker.worker.testing.TestShop;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ScrapeEngineTest {
  private DatabaseUrl db;
  private WorkerRuntime runtime;

  @BeforeEach
  void setUp() {
    db = TestDatabases.fresh();
    runtime =
        WorkerRuntime.start(
            new WorkerConfig(
                db,
                WorkerMode.ONESHOT,
                Duration.ofHours(1),
                List.of(),
                "test-worker",
                4,
                Duration.ofSeconds(5),
                0,
                FallbackRates.from(new Env(Map.of()))));
  }

  @AfterEach
  void tearDown() {
    runtime.close();
  }

  static SourceConfig source(String name, String adapter, String baseUrl, int pageLimit) {
    SourceConfig.FetchSettings d = SourceConfig.FetchSettings.defaults();
    SourceConfig.FetchSettings fast =
        new SourceConfig.FetchSettings(
            List.of(),
            true,
            200,
            4,
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            0,
            d.maxBodyBytes(),
            Optional.empty());
    return new SourceConfig(
        name, adapter, URI.create(baseUrl), true, pageLimit, fast, new JsonObject());
  }

  private RunReport run(SourceConfig... sources) {
    return runtime
        .engine()
        .run(List.of(sources), WorkerMode.ONESHOT, ProgressListener.NONE)
        .await();
  }

  private String startDemo(long day) {
    DemoMarketplace demo = new DemoMarketplace("127.0.0.1", 0, day);
    runtime.vertx().deployVerticle(demo).await();
    return "http://127.0.0.1:" + demo.port() + "/";
  }

  @Test
  @DisplayName(
      "two market days of the demo marketplace: GPUs stored, accessories rejected, history only on change,"
          + " out-of-stock listings removed")
  void demoMarketEndToEnd() {
    DemoInventory day1 = DemoInventory.forDay(1);
    DemoInventory day2 = DemoInventory.forDay(2);
    Map<String, BigDecimal> prices1 = gpuPrices(day1);
    Map<String, BigDecimal> prices2 = gpuPrices(day2);

    RunReport first =
        run(
            source("demo", "demo", startDemo(1), 50),
            source("demo-cloud", "demo-cloud", startDemo(1), 50));
    assertThat(first.status()).isEqualTo("succeeded");
    SourceReport shop = first.sources().get(0);
    assertThat(shop.seen()).isEqualTo(prices1.size());
    assertThat(shop.inserted()).isEqualTo(prices1.size());
    assertThat(shop.rejected()).isEqualTo(day1.cards().size() - prices1.size());
    assertThat(first.sources().get(1).inserted()).isEqualTo(day1.offers().size());
    assertThat(
            Sql.count(
                db,
                "SELECT count(*) FROM listings l JOIN sources s ON s.id = l.source_id"
                    + " WHERE s.name = 'demo' AND l.kind = 'sale' AND l.gpu_slug IS NOT NULL"))
        .isEqualTo(prices1.size());
    assertThat(
            Sql.count(
                db, "SELECT count(*) FROM listings WHERE kind = 'rental' AND price_unit = 'hour'"))
        .isEqualTo(day1.offers().size());
    assertPriceDaysRefreshed();
    long historyAfterFirst = Sql.count(db, "SELECT count(*) FROM price_history");
    assertThat(historyAfterFirst).isEqualTo(prices1.size() + day1.offers().size());

    String demo2 = startDemo(2);
    RunReport second = run(source("demo", "demo", demo2, 50));
    assertThat(second.status()).isEqualTo("succeeded");
    long changed =
        prices2.entrySet().stream()
            .filter(
                e ->
                    prices1.containsKey(e.getKey())
                        && prices1.get(e.getKey()).compareTo(e.getValue()) != 0)
            .count();
    long returned = prices2.keySet().stream().filter(k -> !prices1.containsKey(k)).count();
    Set<String> gone =
        prices1.keySet().stream().filter(k -> !prices2.containsKey(k)).collect(Collectors.toSet());
    assertThat(changed).as("the demo market moves prices between days").isPositive();
    assertThat(gone).as("some cards are out of stock on day 2").isNotEmpty();
    assertThat(second.sources().get(0).removed()).isEqualTo(gone.size());
    assertThat(Sql.count(db, "SELECT count(*) FROM price_history"))
        .isEqualTo(historyAfterFirst + changed + returned);
    assertThat(
            Sql.column(
                db, "SELECT external_id FROM listings WHERE NOT active AND removed_at IS NOT NULL"))
        .containsExactlyInAnyOrderElementsOf(gone);
    assertThat(
            Sql.count(
                db,
                "SELECT count(*) FROM listings l JOIN sources s ON s.id = l.source_id"
                    + " WHERE s.name = 'demo-cloud' AND l.active"))
        .as("a source not in this run removes nothing")
        .isEqualTo(day1.offers().size());
    assertThat(Sql.single(db, "SELECT base_url FROM sources WHERE name = 'demo'")).isEqualTo(demo2);
    assertPriceDaysRefreshed();
  }

  /**
   * At a run's end the stored market figures (V30) and the daily price summary (V29) of every model
   * the run wrote were refreshed: no mark is left, and each model with a listing has rows for the
   * day of a refresh after its last price point and its open spans' row, with as many samples as
   * the price points give (GpuPriceDaysTest compares the figures themselves).
   */
  private void assertPriceDaysRefreshed() {
    // The stored market figures (V30) too: no mark left, and a fresh computation's rows.
    assertThat(Sql.count(db, "SELECT count(*) FROM gpu_market_marks")).isZero();
    assertThat(
            Sql.count(
                db,
                "SELECT count(*) FROM (SELECT * FROM gpu_market EXCEPT SELECT * FROM"
                    + " gpu_market_compute(NULL)) x"))
        .isZero();
    assertThat(Sql.count(db, "SELECT count(*) FROM gpu_market"))
        .isEqualTo(Sql.count(db, "SELECT count(*) FROM gpu_market_compute(NULL)"))
        .isPositive();
    assertThat(Sql.count(db, "SELECT count(*) FROM gpu_price_days_marks")).isZero();
    assertThat(
            Sql.count(
                db,
                "SELECT count(DISTINCT gpu_slug) FROM listings WHERE gpu_slug IS NOT NULL AND NOT"
                    + " EXISTS (SELECT 1 FROM gpu_price_days d WHERE d.gpu_slug = listings.gpu_slug"
                    + " AND d.day = (SELECT date_trunc('day', s.refreshed_at) FROM"
                    + " gpu_price_days_state s WHERE s.gpu_slug = d.gpu_slug AND s.refreshed_at >="
                    + " (SELECT max(h.observed_at) FROM price_history h JOIN listings x ON x.id ="
                    + " h.listing_id WHERE x.gpu_slug = s.gpu_slug)))"))
        .as("models written without the refresh day's summary")
        .isZero();
    assertThat(
            Sql.count(
                db, "SELECT coalesce(sum(samples), 0) FROM gpu_price_days WHERE day = 'infinity'"))
        .as("open spans in the summary")
        .isEqualTo(
            Sql.count(
                db,
                "SELECT count(*) FROM listings l WHERE l.gpu_slug IS NOT NULL AND l.removed_at IS"
                    + " NULL AND EXISTS (SELECT 1 FROM price_history h WHERE h.listing_id = l.id"
                    + " AND h.price_usd IS NOT NULL)"));
  }

  @Test
  @DisplayName("a failing source is recorded and never stops the others; the run is partial")
  void failingSourceIsolated() {
    try (TestShop broken = TestShop.start(2, 5)) {
      broken.failPage(1);
      RunReport report =
          run(
              source("demo", "demo", startDemo(1), 50),
              source("broken", "demo", broken.baseUrl(), 5),
              source("nowhere", "demo", "http://127.0.0.1:9/", 5));
      assertThat(report.status()).isEqualTo("partial");
      Map<String, SourceReport> bySource =
          report.sources().stream().collect(Collectors.toMap(SourceReport::source, r -> r));
      assertThat(bySource.get("demo").status()).isEqualTo("succeeded");
      assertThat(bySource.get("broken").status()).isEqualTo("failed");
      assertThat(bySource.get("broken").errorMessage()).isNotBlank();
      assertThat(bySource.get("nowhere").status()).isEqualTo("failed");
      assertThat(
              Sql.column(
                  db,
                  "SELECT rs.status FROM scrape_run_sources rs JOIN sources s ON s.id = rs.source_id"
                      + " WHERE s.name IN ('broken', 'nowhere')"))
          .containsOnly("failed");
      assertThat(Sql.single(db, "SELECT status FROM scrape_runs WHERE id = ?", report.runId()))
          .isEqualTo("partial");
      assertThat(Sql.count(db, "SELECT count(*) FROM listings"))
          .isEqualTo(gpuPrices(DemoInventory.forDay(1)).size());
    }
  }

  @Test
  @DisplayName("a run with a failed page removes nothing, and pagination stops at the page limit")
  void incompleteRunRemovesNothing() {
    try (TestShop shop = TestShop.start(4, 5)) {
      RunReport first = run(source("shop", "demo", shop.baseUrl(), 3));
      assertThat(first.sources().get(0).pages()).isEqualTo(3);
      assertThat(Sql.count(db, "SELECT count(*) FROM listings WHERE active")).isEqualTo(15);

      shop.failPage(3);
      RunReport second = run(source("shop", "demo", shop.baseUrl(), 3));
      assertThat(second.sources().get(0).status()).isEqualTo("failed");
      assertThat(second.sources().get(0).removed()).isZero();
      assertThat(Sql.count(db, "SELECT count(*) FROM listings WHERE active")).isEqualTo(15);
    }
  }

  @Test
  @DisplayName(
      "a source another worker holds is skipped, not scraped twice, and a run that skipped every source is"
          + " skipped, not succeeded")
  void lockedSourceSkipped() throws Exception {
    try (TestShop shop = TestShop.start(2, 3)) {
      shop.hold(1);
      Future<RunReport> first =
          runtime
              .engine()
              .run(
                  List.of(source("shop", "demo", shop.baseUrl(), 5)),
                  WorkerMode.ONESHOT,
                  ProgressListener.NONE);
      shop.requested(1).get();
      WorkerRuntime other =
          WorkerRuntime.start(
              new WorkerConfig(
                  db,
                  WorkerMode.ONESHOT,
                  Duration.ofHours(1),
                  List.of(),
                  "other-worker",
                  2,
                  Duration.ofSeconds(5),
                  0,
                  FallbackRates.from(new Env(Map.of()))));
      try {
        RunReport second =
            other
                .engine()
                .run(
                    List.of(source("shop", "demo", shop.baseUrl(), 5)),
                    WorkerMode.ONESHOT,
                    ProgressListener.NONE)
                .await();
        assertThat(second.sources().get(0).status()).isEqualTo("skipped");
        assertThat(second.status()).isEqualTo("skipped");
        assertThat(second.anyFailed()).as("skipping is no failure: exit 0").isFalse();
      } finally {
        other.close();
      }
      shop.release(1);
      assertThat(first.await().sources().get(0).status()).isEqualTo("succeeded");
      assertThat(Sql.count(db, "SELECT count(*) FROM listings")).isEqualTo(6);
    }
  }

  @Test
  @DisplayName(
      "a source whose lock connection dies stops after the page in flight, without its removal pass")
  void lockLostStopsTheSource() throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(SourceScrape.class);
    ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> watch =
        new ch.qos.logback.core.AppenderBase<>() {
          @Override
          protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
            if (event.getFormattedMessage().contains("lost the source lock")) {
              lost.countDown();
            }
          }
        };
    watch.start();
    log.addAppender(watch);
    try (TestShop shop = TestShop.start(4, 3)) {
      shop.hold(2);
      Future<RunReport> run =
          runtime
              .engine()
              .run(
                  List.of(source("shop", "demo", shop.baseUrl(), 5)),
                  WorkerMode.ONESHOT,
                  ProgressListener.NONE);
      shop.requested(2).get();
      // PostgreSQL ends the lock's session (a network cut, a failover): the lock is free for
      // another worker now.
      assertThat(
              Sql.count(
                  db,
                  "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_locks"
                      + " WHERE locktype = 'advisory' AND granted"
                      + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) t"))
          .isEqualTo(1);
      // The worker says so once its lock connection closes; only then is the held page answered.
      assertThat(lost.await(10, TimeUnit.SECONDS)).as("the lock loss was noticed").isTrue();
      shop.release(2);
      SourceReport report = run.await().sources().get(0);
      assertThat(report.status()).isEqualTo("interrupted");
      assertThat(report.pages()).isEqualTo(2);
      assertThat(report.removed()).isZero();
      assertThat(shop.requested(3)).isNotDone();
    } finally {
      log.detachAppender(watch);
    }
  }

  private static Map<String, BigDecimal> gpuPrices(DemoInventory day) {
    Map<String, BigDecimal> prices = new HashMap<>();
    for (DemoInventory.Card c : day.cards()) {
      if (c.gpu()) {
        prices.put(c.id(), c.price());
      }
    }
    return prices;
  }

  @Test
  @DisplayName(
      "the same offer under a second id is kept aside as a duplicate, with the id it duplicates")
  void duplicatesKeptAside() {
    try (TestShop shop = TestShop.start(2, 3)) {
      shop.listDuplicates();
      RunReport report = run(source("shop", "demo", shop.baseUrl(), 5));
      assertThat(report.sources().get(0).seen()).isEqualTo(6);
      assertThat(report.sources().get(0).rejected()).isEqualTo(2);
      assertThat(
              Sql.column(
                  db,
                  "SELECT detail FROM rejected_listings WHERE reason = 'duplicate' ORDER BY external_id"))
          .containsExactly("same offer as t-001-00", "same offer as t-002-00");
      assertThat(Sql.single(db, "SELECT listings_rejected FROM scrape_run_sources")).isEqualTo(2);
    }
  }

  @Test
  @DisplayName(
      "a rates source updates the euro rates first, and listings in other currencies get their USD price")
  void exchangeRates() throws Exception {
    try (TestShop shop = TestShop.start(1, 2)) {
      shop.currency("EUR");
      shop.rates(
          new String(
              getClass().getResourceAsStream("/rates/eurofxref-daily.xml").readAllBytes(),
              StandardCharsets.UTF_8));
      RunReport report =
          run(
              source("ecb", "ecb-rates", shop.baseUrl() + "rates.xml", 1),
              source("shop", "demo", shop.baseUrl(), 1));
      assertThat(report.status()).isEqualTo("succeeded");
      assertThat(report.sources()).extracting(SourceReport::source).containsExactly("ecb", "shop");
      assertThat(Sql.count(db, "SELECT count(*) FROM exchange_rates")).isEqualTo(8);
      // 410.99 EUR at 1.0823 USD per EUR
      assertThat(
              Sql.single(db, "SELECT price_usd::text FROM listings WHERE external_id = 't-001-00'"))
          .isEqualTo("444.8145");
      assertThat(
              Sql.single(
                  db,
                  "SELECT price::text || ' ' || currency FROM listings WHERE external_id = 't-001-00'"))
          .isEqualTo("410.9900 EUR");
    }
  }

  @Test
  @DisplayName(
      "a saved real x-kom page, whose listings have no memory field: each card stores the memory its title"
          + " states, and a size the model never shipped with is kept aside as suspicious with that reason")
  void memoryFromTitles() throws Exception {
    String page = Files.readString(Fixtures.require("xkom/listings.html"));
    // The one change to the real page: the Gainward RTX 3080 Phoenix (590457) claims 16 GB, which
    // no 3080 had.
    String edited = page.replace("3080 Phoenix 10GB GDDR6X", "3080 Phoenix 16GB GDDR6X");
    assertThat(edited).isNotEqualTo(page);
    try (TestShop shop = TestShop.start(1, 1)) {
      shop.savedPage("/szukaj", edited.getBytes(StandardCharsets.UTF_8));
      RunReport report = run(source("xkom", "xkom", shop.baseUrl() + "szukaj?q=rtx%203080", 1));
      assertThat(report.sources().get(0).seen()).isEqualTo(29);
      assertThat(Sql.count(db, "SELECT count(*) FROM listings WHERE vram_gb IS NULL")).isZero();
      assertThat(
              Sql.column(
                  db,
                  "SELECT external_id || ' ' || gpu_slug || ' ' || vram_gb::int FROM listings"
                      + " WHERE external_id IN ('669592', '715646', '658146') ORDER BY external_id"))
          .containsExactly(
              "658146 rtx-3080-ti 12", "669592 rtx-3080 10", "715646 rtx-3080-12gb 12");
      // Every stored size is the one its title states.
      assertThat(
              Sql.count(db, "SELECT count(*) FROM listings WHERE title !~ (vram_gb::int || 'GB')"))
          .isZero();
      assertThat(
              Sql.single(
                  db,
                  "SELECT reason || ': ' || detail FROM rejected_listings WHERE external_id = '590457'"))
          .isEqualTo("suspicious: states 16 GB, but the GeForce RTX 3080 shipped with 10 or 12 GB");
    }
  }
}
