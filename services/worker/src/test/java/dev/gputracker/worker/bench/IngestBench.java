package dev.gputracker.worker.bench;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.catalog.GpuModel;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.persist.ListingStore;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.SourceStore;
import dev.gputracker.worker.persist.StoredListing;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.postgresql.PGConnection;

/**
 * The ingest benchmark behind {@code bench/ingest.sh}: 100,000 listings through the worker's real
 * store path ({@link ListingStore#writePage}, one statement per page, pages overlapping as in the
 * engine) against a COPY of the same rows into the same table, the ceiling of what PostgreSQL can
 * take. Prints one machine-readable line last.
 */
public final class IngestBench {
  private static final int ROWS = Integer.getInteger("bench.rows", 100_000);
  private static final int[] PAGE_SIZES = {500, 1000, 5000};
  private static final int IN_FLIGHT = 2;

  private IngestBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("gpu-tracker-ingest-bench");
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start(dir, 0)) {
      DatabaseUrl db = postgres.url("bench");
      Migrator.migrate(db);
      Vertx vertx = Vertx.vertx();
      Pool pool = Database.pool(vertx, db, "bench", 4);
      try {
        run(db, pool);
      } finally {
        pool.close().await();
        vertx.close().await();
      }
    }
  }

  private static void run(DatabaseUrl db, Pool pool) throws Exception {
    SourceConfig source =
        new SourceConfig(
            "bench",
            "demo",
            URI.create("http://bench.invalid/"),
            true,
            1,
            SourceConfig.FetchSettings.defaults(),
            new JsonObject());
    int sourceId = new SourceStore(pool).sync(List.of(source)).await().get("bench");
    List<StoredListing> rows = generate(ROWS, new Random(42));
    ListingStore store = new ListingStore(pool);
    RunStore runs = new RunStore(pool);
    System.out.printf(
        Locale.ROOT, "%,d listings, PostgreSQL embedded, %d pages in flight%n", ROWS, IN_FLIGHT);

    double best = 0;
    int bestSize = 0;
    double unchanged = 0;
    for (int size : PAGE_SIZES) {
      truncate(db);
      long run = runs.startRun("bench", "oneshot").await();
      double rate = upsert(store, sourceId, run, rows, size);
      long run2 = runs.startRun("bench", "oneshot").await();
      double again = upsert(store, sourceId, run2, rows, size);
      System.out.printf(
          Locale.ROOT,
          "upsert, pages of %5d: %,10.0f rows/s new, %,10.0f rows/s unchanged%n",
          size,
          rate,
          again);
      if (rate > best) {
        best = rate;
        bestSize = size;
        unchanged = again;
      }
    }
    truncate(db);
    double copy = copy(db, sourceId, rows);
    System.out.printf(Locale.ROOT, "COPY of the same rows:   %,10.0f rows/s%n", copy);
    System.out.printf(Locale.ROOT, "upsert (pages of %d) / COPY = %.2f%n", bestSize, best / copy);
    System.out.printf(
        Locale.ROOT,
        "RESULT upsert_rows_per_s=%.0f copy_rows_per_s=%.0f upsert_vs_copy_ratio=%.2f unchanged_rows_per_s=%.0f"
            + " page_size=%d%n",
        best,
        copy,
        best / copy,
        unchanged,
        bestSize);
  }

  private static double upsert(
      ListingStore store, int sourceId, long run, List<StoredListing> rows, int size) {
    long start = System.nanoTime();
    List<Future<?>> inFlight = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += size) {
      if (inFlight.size() >= IN_FLIGHT) {
        inFlight.remove(0).await();
      }
      inFlight.add(
          store.writePage(
              sourceId,
              run,
              ListingKind.SALE,
              rows.subList(from, Math.min(rows.size(), from + size))));
    }
    for (Future<?> f : inFlight) {
      f.await();
    }
    return rows.size() / ((System.nanoTime() - start) / 1e9);
  }

  private static double copy(DatabaseUrl db, int sourceId, List<StoredListing> rows)
      throws Exception {
    String sourceName;
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        var st = c.prepareStatement("SELECT name FROM sources WHERE id = ?")) {
      st.setInt(1, sourceId);
      try (var rs = st.executeQuery()) {
        rs.next();
        sourceName = rs.getString(1);
      }
    }
    StringBuilder csv = new StringBuilder(rows.size() * 200);
    for (StoredListing s : rows) {
      ScrapedListing l = s.listing();
      csv.append(sourceId)
          .append('\t')
          .append(l.externalId())
          .append("\tsale\t")
          .append(l.title())
          .append('\t')
          .append(s.gpuSlug())
          .append('\t')
          .append(l.price().toPlainString())
          .append('\t')
          .append(l.currency())
          .append("\ttotal\t")
          .append(s.priceUsd().toPlainString())
          .append('\t')
          .append(l.gpuCount())
          .append("\t\\N\t")
          .append(l.condition().dbValue())
          .append('\t')
          .append(l.location())
          .append('\t')
          .append(l.seller())
          .append('\t')
          .append(l.url())
          .append('\t')
          .append(l.sponsored() ? 't' : 'f')
          .append("\tnow\tnow\tt\tnow\tnow\t")
          .append(sourceName)
          .append('\n');
    }
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      long start = System.nanoTime();
      // With source_name given, V16's insert trigger skips the rows, as it does for the upsert's,
      // which computes the
      // copies in its statement; the other copies stay null here, so the ceiling is if anything a
      // little high.
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY listings (source_id, external_id, kind, title, gpu_slug,"
                  + " price, currency, price_unit, price_usd, gpu_count, vram_gb, condition, location, seller, url, sponsored,"
                  + " first_seen_at, last_seen_at, active, updated_at, price_changed_at, source_name) FROM STDIN",
              new StringReader(csv.toString()));
      return rows.size() / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static void truncate(DatabaseUrl db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      c.createStatement().execute("TRUNCATE listings, price_history, rejected_listings");
      c.createStatement().execute("CHECKPOINT");
    }
  }

  private static List<StoredListing> generate(int n, Random random) {
    List<GpuModel> models = GpuCatalog.load().models();
    String[] partners = {
      "ASUS TUF Gaming", "MSI Gaming X Trio", "Gigabyte WINDFORCE OC", "ZOTAC Trinity", "PNY XLR8"
    };
    List<StoredListing> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      GpuModel m = models.get(random.nextInt(models.size()));
      BigDecimal price = BigDecimal.valueOf(150 + random.nextInt(2500)).add(new BigDecimal("0.99"));
      ScrapedListing l =
          ScrapedListing.builder(
                  String.format("b-%07d", i),
                  partners[random.nextInt(partners.length)]
                      + " "
                      + m.name()
                      + " "
                      + m.vramGb().toPlainString()
                      + "GB")
              .price(price, "USD")
              .condition(random.nextInt(5) == 0 ? Condition.USED : Condition.NEW)
              .location("US")
              .seller("seller-" + random.nextInt(500))
              .url("https://shop.example/item/" + i)
              .build();
      rows.add(new StoredListing(l, m.slug(), price));
    }
    return rows;
  }
}
