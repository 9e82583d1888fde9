package dev.gputracker.worker.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.AdvisoryLocks;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.domain.PriceUnit;
import dev.gputracker.shared.testing.ListingCopies;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.normalize.RejectReason;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import dev.gputracker.worker.testing.Sql;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ListingStoreTest {
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
    pool = Database.pool(vertx, db, "store-test", 4);
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
            .price(price == null ? null : new BigDecimal(price), price == null ? null : "USD")
            .condition(Condition.NEW)
            .url("http://shop.test/" + id)
            .seller("seller")
            .location("US")
            .build();
    return new StoredListing(l, "rtx-4070", price == null ? null : new BigDecimal(price));
  }

  private long run() {
    return runs.startRun("test", "oneshot").await();
  }

  private PageWrite write(long run, StoredListing... page) {
    return store.writePage(sourceId, run, ListingKind.SALE, List.of(page)).await();
  }

  @Test
  @DisplayName(
      "first sightings are inserted with one history row each; a second identical page changes nothing")
  void insertThenUnchanged() {
    PageWrite first = write(run(), gpu("a", "499.99"), gpu("b", "519.00"), gpu("c", null));
    assertThat(first).isEqualTo(new PageWrite(3, 3, 0, 3, 0));
    PageWrite second = write(run(), gpu("a", "499.99"), gpu("b", "519.00"), gpu("c", null));
    assertThat(second).isEqualTo(new PageWrite(3, 0, 0, 0, 0));
    assertThat(second.unchanged()).isEqualTo(3);
    assertThat(Sql.count(db, "SELECT count(*) FROM price_history")).isEqualTo(3);
    assertThat(Sql.single(db, "SELECT price FROM listings WHERE external_id = 'c'")).isNull();
    assertThat(Sql.single(db, "SELECT price::text FROM listings WHERE external_id = 'a'"))
        .isEqualTo("499.9900");
  }

  /**
   * V16: the page upsert computes a listing's copies itself (the insert trigger skips rows that
   * carry them), so they must equal what the search's old join computed, for sales, rentals,
   * listings without a model, and after a price change (which the update trigger recomputes).
   */
  @Test
  @DisplayName(
      "the page upsert writes the listing's stored source name, vendor and figures, equal to the old join's")
  void storedCopies() {
    write(run(), gpu("a", "499.99"), gpu("b", "0"), gpu("c", null));
    ScrapedListing odd =
        ScrapedListing.builder("d", "Some card 12GB")
            .price(new BigDecimal("333.33"), "USD")
            .vramGb(new BigDecimal("12"))
            .build();
    write(run(), new StoredListing(odd, null, new BigDecimal("333.33")));
    ScrapedListing pod =
        ScrapedListing.builder("e", "8x RTX 4070")
            .price(new BigDecimal("3.20"), "USD")
            .gpuCount(8)
            .build();
    store
        .writePage(
            sourceId,
            run(),
            ListingKind.RENTAL,
            List.of(new StoredListing(pod, "rtx-4070", new BigDecimal("3.20"))))
        .await();
    write(run(), gpu("a", "479.99"));
    assertThat(Sql.count(db, "SELECT count(*) FROM listings WHERE source_name = 'shop'"))
        .isEqualTo(5);
    assertThat(Sql.count(db, "SELECT count(*) FROM listings WHERE price_per_gb IS NOT NULL"))
        .isEqualTo(4);
    assertThat(Sql.count(db, ListingCopies.STALE))
        .as("listings whose copies differ from the join's")
        .isZero();
  }

  @Test
  @DisplayName(
      "a price change updates the listing and appends exactly one history row with the new price")
  void priceChange() {
    write(run(), gpu("a", "499.99"), gpu("b", "519.00"));
    PageWrite w = write(run(), gpu("a", "479.99"), gpu("b", "519.00"));
    assertThat(w).isEqualTo(new PageWrite(2, 0, 1, 1, 0));
    assertThat(
            Sql.column(
                db,
                "SELECT h.price::text FROM price_history h JOIN listings l ON l.id = h.listing_id"
                    + " WHERE l.external_id = 'a' ORDER BY h.observed_at"))
        .containsExactly("499.9900", "479.9900");
  }

  @Test
  @DisplayName(
      "a currency change counts as a price change; a title change is an update without history")
  void currencyAndTitle() {
    write(run(), gpu("a", "499.99"));
    ScrapedListing eur =
        ScrapedListing.builder("a", "MSI GeForce RTX 4070 12GB a")
            .price(new BigDecimal("499.99"), "EUR")
            .condition(Condition.NEW)
            .url("http://shop.test/a")
            .seller("seller")
            .location("US")
            .build();
    assertThat(write(run(), new StoredListing(eur, "rtx-4070", null)).history()).isEqualTo(1);
    ScrapedListing renamed =
        ScrapedListing.builder("a", "MSI RTX 4070 Ventus")
            .price(new BigDecimal("499.99"), "EUR")
            .condition(Condition.NEW)
            .url("http://shop.test/a")
            .seller("seller")
            .location("US")
            .build();
    assertThat(write(run(), new StoredListing(renamed, "rtx-4070", null)))
        .isEqualTo(new PageWrite(1, 0, 1, 0, 0));
  }

  @Test
  @DisplayName("duplicate ids within a page become one listing, the last occurrence winning")
  void duplicatesInPage() {
    assertThat(write(run(), gpu("a", "1.00"), gpu("a", "2.00")).seen()).isEqualTo(1);
    assertThat(Sql.single(db, "SELECT price::text FROM listings")).isEqualTo("2.0000");
  }

  /**
   * V28: the removal step finds its candidates by three range scans of (source, last run), not by
   * reading every active listing of the source; the rows it removes are still exactly those the run
   * did not write: last written by an earlier run, by a later one, or never by a run.
   */
  @Test
  @DisplayName(
      "the removal step removes what another run or no run wrote, found through the (source, last run) index")
  void removalByLastRunIndex() throws Exception {
    long r1 = run();
    long r2 = run();
    long r3 = run();
    write(r1, gpu("earlier", "1.00"));
    write(r2, gpu("this", "2.00"));
    write(r3, gpu("later", "3.00"));
    write(r2, gpu("this-too", "4.00"));
    try (var c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        var st = c.createStatement()) {
      st.execute(
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price_unit, first_seen_at,"
              + " last_seen_at, updated_at, price_changed_at) VALUES ("
              + sourceId
              + ", 'by-hand', 'sale', 'card',"
              + " 'rtx-4070', 'total', now(), now(), now(), now())");
      // The rest of the source, seen by this run: what the removal step must not read one by one.
      st.execute(
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price_unit, first_seen_at,"
              + " last_seen_at, updated_at, price_changed_at, last_run_id) SELECT "
              + sourceId
              + ", 'seen-' || i, 'sale',"
              + " 'card', 'rtx-4070', 'total', now(), now(), now(), now(), "
              + r2
              + " FROM generate_series(1, 5000) i");
      st.execute("ANALYZE listings");
      st.execute("PREPARE removal(int, bigint) AS " + WorkerSql.MARK_REMOVED);
      StringBuilder plan = new StringBuilder();
      try (var rs = st.executeQuery("EXPLAIN EXECUTE removal(" + sourceId + ", " + r2 + ")")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      assertThat(plan.toString())
          .as(plan.toString())
          .contains("listings_source_run_idx")
          .containsPattern("Index Cond: .*last_run_id < ")
          .containsPattern("Index Cond: .*last_run_id > ")
          .containsPattern("Index Scan using listings_pkey on listings\\s")
          .doesNotContainPattern(
              "Index Cond: \\(source_id = [^)]+\\)\\n(?s:.*)Index Cond: .*last_run_id < ")
          .doesNotContain("Seq Scan");
    }
    assertThat(store.markRemoved(sourceId, r2).await()).isEqualTo(3);
    assertThat(
            Sql.count(
                db,
                "SELECT count(*) FROM listings WHERE NOT active AND external_id IN ('earlier', 'later',"
                    + " 'by-hand')"))
        .isEqualTo(3);
    assertThat(Sql.count(db, "SELECT count(*) FROM listings WHERE active")).isEqualTo(5002);
    assertThat(store.markRemoved(sourceId, r2).await())
        .as("the steady state: nothing left to remove")
        .isZero();
  }

  @Test
  @DisplayName(
      "after a complete run, listings it did not see are removed (not deleted), and come back when seen again")
  void removalAndReturn() {
    long r1 = run();
    write(r1, gpu("a", "1.00"), gpu("b", "2.00"));
    assertThat(store.markRemoved(sourceId, r1).await()).isZero();
    long r2 = run();
    write(r2, gpu("a", "1.00"));
    assertThat(store.markRemoved(sourceId, r2).await()).isEqualTo(1);
    assertThat(Sql.single(db, "SELECT active FROM listings WHERE external_id = 'b'"))
        .isEqualTo(false);
    assertThat(Sql.count(db, "SELECT count(*) FROM listings WHERE removed_at IS NOT NULL"))
        .isEqualTo(1);
    long r3 = run();
    PageWrite back = write(r3, gpu("a", "1.00"), gpu("b", "2.00"));
    assertThat(back.updated()).as("a return is a visible change").isEqualTo(1);
    assertThat(Sql.count(db, "SELECT count(*) FROM listings WHERE active AND removed_at IS NULL"))
        .isEqualTo(2);
  }

  @Test
  @DisplayName(
      "a thousand listings bind and store in one statement, rentals with their unit, count and VRAM")
  void bigPageAndRentals() {
    List<StoredListing> page = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ScrapedListing l =
          ScrapedListing.builder("offer-" + i, i + "x H100 SXM 80GB")
              .price(new BigDecimal("2.49").multiply(BigDecimal.valueOf(i % 8 + 1)), "USD")
              .priceUnit(PriceUnit.HOUR)
              .gpuCount(i % 8 + 1)
              .vramGb(new BigDecimal("80"))
              .build();
      page.add(new StoredListing(l, "h100-sxm", l.price()));
    }
    PageWrite w = store.writePage(sourceId, run(), ListingKind.RENTAL, page).await();
    assertThat(w.inserted()).isEqualTo(1000);
    assertThat(
            Sql.count(
                db,
                "SELECT count(*) FROM listings WHERE kind = 'rental' AND price_unit = 'hour'"
                    + " AND vram_gb = 80 AND gpu_count BETWEEN 1 AND 8"))
        .isEqualTo(1000);
    assertThat(Sql.single(db, "SELECT price::text FROM listings WHERE external_id = 'offer-7'"))
        .isEqualTo("19.9200");
  }

  @Test
  @DisplayName(
      "run bookkeeping records each source's figures; abandoned rows are recovered as interrupted")
  void runsAndRecovery() {
    long dead = run();
    runs.startSource(dead, sourceId).await();
    long r = run();
    runs.recoverAbandoned(sourceId).await();
    assertThat(Sql.single(db, "SELECT status FROM scrape_run_sources WHERE run_id = ?", dead))
        .isEqualTo("interrupted");
    assertThat(Sql.single(db, "SELECT status FROM scrape_runs WHERE id = ?", dead))
        .isEqualTo("interrupted");
    runs.startSource(r, sourceId).await();
    runs.finishSource(
            r, sourceId, new SourceOutcome("succeeded", 3, 70, 60, 5, 2, 4, 0, null, 1234))
        .await();
    runs.finishRun(r, "succeeded").await();
    assertThat(
            Sql.single(
                db,
                "SELECT concat_ws(',', status, pages, listings_seen, listings_new, listings_updated,"
                    + " listings_removed, listings_rejected, errors, duration_ms) FROM scrape_run_sources WHERE run_id = ?",
                r))
        .isEqualTo("succeeded,3,70,60,5,2,4,0,1234");
    assertThat(Sql.single(db, "SELECT status FROM scrape_runs WHERE id = ?", r))
        .isEqualTo("succeeded");
  }

  @Test
  @DisplayName(
      "a source lock is exclusive, apart from the relay's, and freed by release or by the holder's death")
  void locks() {
    AdvisoryLocks locks = new AdvisoryLocks(vertx, db.connectOptions());
    Optional<AdvisoryLocks.Lease> first =
        locks.tryAcquire(AdvisoryLocks.Key.source(sourceId)).await();
    assertThat(first).isPresent();
    assertThat(locks.tryAcquire(AdvisoryLocks.Key.source(sourceId)).await()).isEmpty();
    assertThat(locks.tryAcquire(AdvisoryLocks.Key.source(sourceId + 1000)).await())
        .as("other sources are free")
        .isPresent();
    Optional<AdvisoryLocks.Lease> relay = locks.tryAcquire(AdvisoryLocks.Key.OUTBOX_RELAY).await();
    assertThat(relay).as("the relay's key is apart from the sources'").isPresent();
    relay.get().release().await();
    first.get().release().await();
    Optional<AdvisoryLocks.Lease> second =
        locks.tryAcquire(AdvisoryLocks.Key.source(sourceId)).await();
    assertThat(second).isPresent();
    // The holder dies: its backend is terminated, as when a worker process is killed (this
    // database's only; the
    // two-argument form waits up to 5 s until the backend is gone, so its locks are released when
    // it returns).
    Sql.column(
        db,
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = 'advisory' AND classid = ?"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        AdvisoryLocks.NAMESPACE);
    assertThat(locks.tryAcquire(AdvisoryLocks.Key.source(sourceId)).await()).isPresent();
  }

  @Test
  @DisplayName(
      "rejected listings are kept with their reason in the same statement, and leave when later accepted")
  void rejectedKeptWithReason() {
    ScrapedListing block =
        ScrapedListing.builder("x", "EK water block for RTX 4090")
            .price(new BigDecimal("199"), "USD")
            .url("http://shop.test/x")
            .build();
    PageWrite w =
        store
            .writePage(
                sourceId,
                run(),
                ListingKind.SALE,
                List.of(gpu("a", "500")),
                List.of(
                    new RejectedListing(
                        block, RejectReason.NOT_A_GPU, "water block", null, new BigDecimal("199"))))
            .await();
    assertThat(w.seen()).isEqualTo(1);
    assertThat(w.rejected()).isEqualTo(1);
    assertThat(
            Sql.single(
                db,
                "SELECT reason || ':' || detail FROM rejected_listings WHERE external_id = 'x'"))
        .isEqualTo("not_a_gpu:water block");
    assertThat(Sql.count(db, "SELECT count(*) FROM listings WHERE external_id = 'x'")).isZero();
    write(run(), gpu("x", "1799"));
    assertThat(Sql.count(db, "SELECT count(*) FROM rejected_listings")).as("accepted now").isZero();
  }

  @Test
  @DisplayName(
      "within one run an unchanged listing or rejected item is not rewritten; a change or a new run is")
  void skipsUnchangedRowsOfTheSameRun() {
    ScrapedListing block =
        ScrapedListing.builder("x", "EK water block for RTX 4090")
            .price(new BigDecimal("199"), "USD")
            .url("http://shop.test/x")
            .build();
    List<RejectedListing> rejected =
        List.of(
            new RejectedListing(
                block, RejectReason.NOT_A_GPU, "water block", null, new BigDecimal("199")));
    long r1 = run();
    store
        .writePage(
            sourceId, r1, ListingKind.SALE, List.of(gpu("a", "10.00"), gpu("b", "20.00")), rejected)
        .await();
    String versions =
        "SELECT string_agg(external_id || '@' || xmin::text, ',' ORDER BY external_id) FROM ";
    Object listingsBefore = Sql.single(db, versions + "listings");
    Object rejectedBefore = Sql.single(db, versions + "rejected_listings");

    PageWrite again =
        store
            .writePage(
                sourceId,
                r1,
                ListingKind.SALE,
                List.of(gpu("a", "10.00"), gpu("b", "20.00")),
                rejected)
            .await();
    assertThat(again).as("still counted as seen").isEqualTo(new PageWrite(2, 0, 0, 0, 1));
    assertThat(Sql.single(db, versions + "listings"))
        .as("no new row versions")
        .isEqualTo(listingsBefore);
    assertThat(Sql.single(db, versions + "rejected_listings")).isEqualTo(rejectedBefore);

    assertThat(write(r1, gpu("a", "11.00"), gpu("b", "20.00")))
        .isEqualTo(new PageWrite(2, 0, 1, 1, 0));
    assertThat(Sql.single(db, "SELECT price::text FROM listings WHERE external_id = 'a'"))
        .isEqualTo("11.0000");

    long r2 = run();
    write(r2, gpu("a", "11.00"), gpu("b", "20.00"));
    assertThat(Sql.count(db, "SELECT count(*) FROM listings WHERE last_run_id = " + r2))
        .as("sighting recorded")
        .isEqualTo(2);
    assertThat(store.markRemoved(sourceId, r2).await()).isZero();
  }

  @Test
  @DisplayName(
      "the page write, 8 KB of SQL, is prepared once per connection, not parsed and planned per page")
  void pageWriteIsPreparedOnce() {
    Pool one = Database.pool(vertx, db, "store-test-single", 1);
    ListingStore single = new ListingStore(one);
    long r = run();
    single.writePage(sourceId, r, ListingKind.SALE, List.of(gpu("a", "1.00"))).await();
    single.writePage(sourceId, r, ListingKind.SALE, List.of(gpu("b", "2.00"))).await();
    long prepared =
        one.query(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%INSERT INTO listings"
                    + " AS l%'")
            .execute()
            .await()
            .iterator()
            .next()
            .getLong(0);
    assertThat(prepared)
        .as("the client's statement cache holds it (its default limit is 2,048 characters)")
        .isEqualTo(1);
  }

  @Test
  @DisplayName(
      "price bands flag a price far from the model's median and say nothing about thin models")
  void priceBands() {
    write(
        run(), gpu("a", "480"), gpu("b", "500"), gpu("c", "510"), gpu("d", "520"), gpu("e", "560"));
    PriceBands bands = PriceBands.load(pool).await();
    assertThat(bands.outlier("rtx-4070", ListingKind.SALE, new BigDecimal("49"), 1)).isPresent();
    assertThat(bands.outlier("rtx-4070", ListingKind.SALE, new BigDecimal("4999"), 1)).isPresent();
    assertThat(bands.outlier("rtx-4070", ListingKind.SALE, new BigDecimal("455"), 1)).isEmpty();
    assertThat(bands.outlier("rtx-4070", ListingKind.RENTAL, new BigDecimal("1"), 1))
        .as("rentals apart")
        .isEmpty();
    assertThat(bands.outlier("rtx-4090", ListingKind.SALE, new BigDecimal("1"), 1))
        .as("no data")
        .isEmpty();
  }
}
