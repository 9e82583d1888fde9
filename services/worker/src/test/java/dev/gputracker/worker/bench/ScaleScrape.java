package dev.gputracker.worker.bench;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.domain.PriceUnit;
import dev.gputracker.worker.persist.ListingStore;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.StoredListing;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The scrape step of {@code bench/scale.sh}: one source's whole catalogue written again through the
 * worker's real page write ({@link ListingStore#writePage}, two pages in flight as in the engine),
 * then its removal step, twice. The first run leaves out one listing in a hundred (the removal step
 * removes them) and lowers the price of another one in a hundred (price history, events); the
 * second run reads the same pages again: the steady state of a daily scrape. Called by the API
 * module's {@code ScaleBench} (by name: the modules do not depend on each other).
 */
public final class ScaleScrape {
  private static final int PAGE = Integer.getInteger("bench.scrapePage", 100);
  private static final int IN_FLIGHT = 2;

  private ScaleScrape() {}

  /**
   * Runs the step on source {@code sourceId} and returns its figures, twice over (first run, then
   * steady state): pages written, page-write time in ms (all pages), the slowest page's ms, the
   * 99th percentile page ms, removal ms, listings removed; then (12..15) each run's refresh of the
   * stored market figures and of the daily price summary, in ms.
   */
  public static double[] run(DatabaseUrl db, int sourceId) throws Exception {
    List<StoredListing> listings = read(db, sourceId);
    List<StoredListing> seen = new ArrayList<>(listings.size());
    for (int i = 0; i < listings.size(); i++) {
      if (i % 100 == 37) {
        continue; // gone from the marketplace: the removal step removes it
      }
      StoredListing s = listings.get(i);
      seen.add(i % 100 == 50 ? cheaper(s) : s);
    }
    Vertx vertx = Vertx.vertx();
    Pool pool = Database.pool(vertx, db, "bench-scrape", IN_FLIGHT + 1);
    try {
      ListingStore store = new ListingStore(pool);
      RunStore runs = new RunStore(pool);
      double[] figures = new double[16];
      for (int round = 0; round < 2; round++) {
        long run = runs.startRun("bench-scale", "oneshot").await();
        runs.startSource(run, sourceId).await();
        List<Future<?>> inFlight = new ArrayList<>();
        double[] pageMs = new double[(seen.size() + PAGE - 1) / PAGE];
        long start = System.nanoTime();
        for (int from = 0, page = 0; from < seen.size(); from += PAGE, page++) {
          if (inFlight.size() >= IN_FLIGHT) {
            inFlight.remove(0).await();
          }
          long pageStart = System.nanoTime();
          int p = page;
          inFlight.add(
              store
                  .writePage(
                      sourceId,
                      run,
                      ListingKind.SALE,
                      seen.subList(from, Math.min(seen.size(), from + PAGE)))
                  .onSuccess(w -> pageMs[p] = (System.nanoTime() - pageStart) / 1e6));
        }
        for (Future<?> f : inFlight) {
          f.await();
        }
        double writeMs = (System.nanoTime() - start) / 1e6;
        long removeStart = System.nanoTime();
        int removed = store.markRemoved(sourceId, run).await();
        double removeMs = (System.nanoTime() - removeStart) / 1e6;
        runs.finishRun(run, "succeeded").await();
        // What the engine does at a run's end: the summaries of the models the run marked.
        long marketStart = System.nanoTime();
        int marketModels = store.refreshMarket().await();
        double marketMs = (System.nanoTime() - marketStart) / 1e6;
        long daysStart = System.nanoTime();
        int dayModels = store.refreshPriceDays().await();
        double daysMs = (System.nanoTime() - daysStart) / 1e6;
        figures[12 + round * 2] = marketMs;
        figures[13 + round * 2] = daysMs;
        System.out.printf(
            Locale.ROOT,
            "scrape run %d: market figures of %d models refreshed in %.0f ms, daily price summary of"
                + " %d models in %.0f ms%n",
            round + 1,
            marketModels,
            marketMs,
            dayModels,
            daysMs);
        double[] sorted = pageMs.clone();
        Arrays.sort(sorted);
        int o = round * 6;
        figures[o] = pageMs.length;
        figures[o + 1] = writeMs;
        figures[o + 2] = sorted[sorted.length - 1];
        figures[o + 3] = sorted[(int) (sorted.length * 0.99)];
        figures[o + 4] = removeMs;
        figures[o + 5] = removed;
        System.out.printf(
            Locale.ROOT,
            "scrape run %d (%s): %,d pages of %d in %.0f ms (%.2f ms a page; p99 %.1f ms,"
                + " slowest %.1f ms), removal %.0f ms (%d removed)%n",
            round + 1,
            round == 0 ? "1 % gone, 1 % cheaper" : "steady state",
            pageMs.length,
            PAGE,
            writeMs,
            writeMs / pageMs.length,
            figures[o + 3],
            figures[o + 2],
            removeMs,
            removed);
      }
      return figures;
    } finally {
      pool.close().await();
      vertx.close().await();
    }
  }

  private static StoredListing cheaper(StoredListing s) {
    ScrapedListing l = s.listing();
    BigDecimal price = l.price().multiply(new BigDecimal("0.95")).setScale(2, RoundingMode.HALF_UP);
    ScrapedListing.Builder b =
        ScrapedListing.builder(l.externalId(), l.title())
            .price(price, l.currency())
            .priceUnit(l.priceUnit())
            .gpuCount(l.gpuCount())
            .condition(l.condition())
            .location(l.location())
            .seller(l.seller())
            .url(l.url())
            .sponsored(l.sponsored());
    if (l.vramGb() != null) {
      b.vramGb(l.vramGb());
    }
    return new StoredListing(b.build(), s.gpuSlug(), price);
  }

  /** The source's active listings as its pages would show them, in a stable order. */
  private static List<StoredListing> read(DatabaseUrl db, int sourceId) throws Exception {
    List<StoredListing> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.setFetchSize(10_000);
      try (ResultSet rs =
          st.executeQuery(
              "SELECT external_id, title, gpu_slug, price, currency, price_unit,"
                  + " price_usd, gpu_count, vram_gb, condition, location, seller, url, sponsored FROM listings"
                  + " WHERE source_id = "
                  + sourceId
                  + " AND active ORDER BY id")) {
        while (rs.next()) {
          ScrapedListing.Builder b =
              ScrapedListing.builder(rs.getString(1), rs.getString(2))
                  .price(rs.getBigDecimal(4).stripTrailingZeros(), rs.getString(5))
                  .priceUnit(PriceUnit.fromDb(rs.getString(6)))
                  .gpuCount(rs.getInt(8))
                  .condition(Condition.fromDb(rs.getString(10)))
                  .location(rs.getString(11))
                  .seller(rs.getString(12))
                  .url(rs.getString(13))
                  .sponsored(rs.getBoolean(14));
          if (rs.getBigDecimal(9) != null) {
            b.vramGb(rs.getBigDecimal(9));
          }
          out.add(new StoredListing(b.build(), rs.getString(3), rs.getBigDecimal(7)));
        }
      }
      c.commit();
    }
    return out;
  }
}
