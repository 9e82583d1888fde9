package dev.gputracker.api.bench;

import dev.gputracker.shared.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scale benchmark's market, seeded in SQL and grown in place: listing {@code i} is the same row
 * whatever the final size, so the large market is the small one plus more. Each listing has {@code
 * 1 + i % 19} price points (ten on average) from its first sighting to its last, its price falling
 * a cent in a hundred per change, the last one its current price; one in ten listings is removed;
 * one in five is an hourly rental; titles read like marketplace titles (board partner, series,
 * model, memory) for {@code q}. 2.5 rejected listings per listing.
 *
 * <p>What the schema's triggers would write is written by the seed with the same SQL functions
 * (V16's copies: the source's name, the model's vendor and performance index, the three figures),
 * as the worker's page write does; foreign keys are not checked row by row (every row is built from
 * rows that exist) and the secondary indexes are dropped and built again afterwards: building an
 * index over sorted input is many times faster than growing it a row at a time. The indexes are
 * read from the catalog, so the schema's own definitions come back.
 */
final class ScaleSeed {
  private static final String[] TABLES = {"listings", "price_history", "rejected_listings"};

  /**
   * Days of the daily price summary the seed computes: the bench reads 90-day series. (A market
   * that grew a year with the worker would hold a year; the days before are read from the price
   * points, and the 90-day series reads none of them.)
   */
  static final int SUMMARY_DAYS = 91;

  private final DatabaseUrl db;
  private final int sources;
  private int listings;
  private List<String> slugs = List.of();

  ScaleSeed(DatabaseUrl db, int sources) {
    this.db = db;
    this.sources = sources;
  }

  int listings() {
    return listings;
  }

  /** Takes up a market seeded before (a kept data directory): its size and models. */
  int resume() throws SQLException {
    listings = (int) single("SELECT count(*) FROM listings");
    if (listings > 0) {
      List<String> all = new ArrayList<>();
      try (Connection c = connect();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT slug FROM gpu_models ORDER BY slug")) {
        while (rs.next()) {
          all.add(rs.getString(1));
        }
      }
      slugs = List.copyOf(all);
    }
    return listings;
  }

  List<String> slugs() {
    return slugs;
  }

  /**
   * Adds listings (and their price points and rejected listings) until there are {@code target}.
   */
  void grow(int target) throws SQLException {
    long start = System.nanoTime();
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("SET synchronous_commit = off");
      st.execute("SET maintenance_work_mem = '512MB'");
      st.execute("ALTER SYSTEM SET max_wal_size = '32GB'");
      st.execute("ALTER SYSTEM SET checkpoint_timeout = '1h'");
      st.execute("SELECT pg_reload_conf()");
      if (listings == 0) {
        st.execute(
            "INSERT INTO sources (name, adapter, base_url) SELECT CASE WHEN i = 1 THEN 'bench-big' ELSE"
                + " 'bench-' || i END, 'demo', 'http://bench/' || i FROM generate_series(1, "
                + sources
                + ") i");
        List<String> all = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT slug FROM gpu_models ORDER BY slug")) {
          while (rs.next()) {
            all.add(rs.getString(1));
          }
        }
        slugs = List.copyOf(all);
      }
      Map<String, String> indexes = new LinkedHashMap<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname ="
                  + " 'public' AND i.tablename IN ('listings', 'price_history', 'rejected_listings') AND NOT EXISTS"
                  + " (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)")) {
        while (rs.next()) {
          indexes.put(rs.getString(1), rs.getString(2));
        }
      }
      for (String name : indexes.keySet()) {
        st.execute("DROP INDEX " + name);
      }
      // Foreign keys and triggers off for this session (replica role): the rows reference rows that
      // exist, and the
      // columns the triggers keep are written below with the triggers' own functions.
      st.execute("SET session_replication_role = replica");
      long t = System.nanoTime();
      st.execute(listingsSql(listings + 1, target));
      System.out.printf(
          Locale.ROOT, "  listings %,d..%,d: %.1f s%n", listings + 1, target, secs(t));
      t = System.nanoTime();
      st.execute(historySql(listings + 1, target));
      System.out.printf(Locale.ROOT, "  price points: %.1f s%n", secs(t));
      t = System.nanoTime();
      st.execute(rejectedSql(listings * 5L / 2 + 1, target * 5L / 2));
      System.out.printf(Locale.ROOT, "  rejected listings: %.1f s%n", secs(t));
      st.execute("SET session_replication_role = origin");
      // The market bands' triggers were off with the others: count the bands afresh, as after a
      // bulk load.
      st.execute("SELECT gpu_market_bands_rebuild()");
      st.execute("SELECT setval(pg_get_serial_sequence('listings', 'id'), " + target + ")");
      st.execute(
          "SELECT setval(pg_get_serial_sequence('rejected_listings', 'id'), "
              + target * 5L / 2
              + ")");
      t = System.nanoTime();
      for (String def : indexes.values()) {
        st.execute(def);
      }
      System.out.printf(Locale.ROOT, "  %d indexes: %.1f s%n", indexes.size(), secs(t));
      t = System.nanoTime();
      for (String table : TABLES) {
        st.execute("VACUUM ANALYZE " + table);
      }
      t = System.nanoTime();
      // The stored market figures (V30) from the bands and the market index, now rebuilt.
      st.execute("SELECT gpu_market_rebuild()");
      System.out.printf(Locale.ROOT, "  market figures: %.1f s%n", secs(t));
      t = System.nanoTime();
      summarizeDays();
      System.out.printf(
          Locale.ROOT,
          "  daily price summary of %d models (%d days): %.1f s%n",
          slugs.size(),
          SUMMARY_DAYS,
          secs(t));
      st.execute("ALTER SYSTEM RESET max_wal_size");
      st.execute("ALTER SYSTEM RESET checkpoint_timeout");
      st.execute("SELECT pg_reload_conf()");
      st.execute("CHECKPOINT");
      System.out.printf(Locale.ROOT, "  vacuum, analyze, checkpoint: %.1f s%n", secs(t));
    }
    listings = target;
    System.out.printf(Locale.ROOT, "seeded to %,d listings in %.1f s%n", target, secs(start));
  }

  /**
   * The daily price summary (V29) of every model over the last {@link #SUMMARY_DAYS} days, computed
   * afresh by its own refresh function, as the worker keeps it: the load above wrote with the
   * triggers off, so no mark tells the summary what changed. Two connections, a model at a time
   * each, in REPEATABLE READ as the worker calls it.
   */
  private void summarizeDays() throws SQLException {
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<SQLException> failures = new CopyOnWriteArrayList<>();
    for (int n = 0; n < 2; n++) {
      Thread thread =
          new Thread(
              () -> {
                try (Connection c = connect();
                    PreparedStatement ps =
                        c.prepareStatement(
                            "SELECT gpu_price_days_refresh(?, now() - make_interval(days => ?))")) {
                  // A summary serves sessions of the time zone it was computed in; the API's keep
                  // the server's (the embedded PostgreSQL starts with UTC), while the JDBC driver
                  // sets
                  // the JVM's (Etc/UTC: the same days under another name, and the API would read
                  // every day from the price points).
                  try (Statement st = c.createStatement()) {
                    st.execute("SET TimeZone = 'UTC'");
                  }
                  c.setAutoCommit(false);
                  c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                  for (int i = next.getAndIncrement();
                      i < slugs.size();
                      i = next.getAndIncrement()) {
                    ps.setString(1, slugs.get(i));
                    ps.setInt(2, SUMMARY_DAYS);
                    ps.execute();
                    c.commit();
                  }
                } catch (SQLException e) {
                  failures.add(e);
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted", e);
      }
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  long databaseBytes() throws SQLException {
    return single("SELECT pg_database_size(current_database())");
  }

  long pricePoints() throws SQLException {
    return single("SELECT count(*) FROM price_history");
  }

  private long single(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }

  private static double secs(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Listings {@code from..to}: {@code h} is a multiplicative hash of {@code i}, so model, partner,
   * prices and times vary independently of the moduli that pick kind (i % 5), state (i % 10) and
   * source.
   */
  private String listingsSql(long from, long to) {
    return """
        WITH m AS (SELECT (row_number() OVER (ORDER BY slug) - 1)::int AS k, g.slug, g.name, g.vendor, g.vram_gb,
                          g.perf_index, coalesce(g.measured_fp32_tflops, g.fp32_tflops) AS tf FROM gpu_models g)
        INSERT INTO listings (id, source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,
          price_usd, gpu_count, vram_gb, condition, location, seller, url, sponsored, first_seen_at, last_seen_at,
          active, removed_at, updated_at, price_changed_at, source_name, vendor, perf_index, price_per_gb,
          price_per_tflop, value)
        OVERRIDING SYSTEM VALUE
        SELECT x.i, s.id, 'b' || x.i, x.kind, x.title, x.slug, x.price, 'USD', x.unit, x.price, x.gpu_count,
               x.vram_gb, x.condition, x.location, 'seller-' || (x.h % 5000), 'https://shop.example/item/' || x.i,
               x.i % 50 = 0, x.first_seen, x.last_seen, x.active, CASE WHEN NOT x.active THEN x.last_seen END,
               x.last_seen, x.first_seen + (x.last_seen - x.first_seen) * (x.k - 1) / x.k, s.name, x.vendor,
               x.perf_index, listing_price_per_gb(x.price, x.gpu_count, x.vram_gb),
               listing_price_per_tflop(x.price, x.gpu_count, x.tf),
               listing_value(x.perf_index, x.gpu_count, x.kind, x.price)
        FROM (
          SELECT b.*, m.slug, m.vendor, m.vram_gb, m.perf_index, m.tf,
                 CASE WHEN b.kind = 'rental' THEN
                   b.gpu_count || 'x ' || m.name || ' ' || trim_scale(m.vram_gb) || 'GB cloud instance, '
                     || (ARRAY['US East', 'US West', 'EU Central', 'Asia'])[1 + (b.h >> 9) % 4]
                 ELSE (ARRAY['ASUS TUF Gaming', 'ASUS ROG Strix', 'MSI Gaming X Trio', 'MSI Ventus 2X',
                             'Gigabyte WINDFORCE OC', 'Gigabyte AORUS Master', 'ZOTAC Trinity', 'PNY XLR8',
                             'Sapphire Pulse', 'XFX Speedster', 'PowerColor Red Devil', 'EVGA FTW3'])[1 + (b.h >> 8) % 12]
                   || ' ' || m.name || ' ' || trim_scale(m.vram_gb) || 'GB '
                   || (ARRAY['Graphics Card', 'OC Edition', 'Used - tested, works', 'Renewed', 'Bulk pack',
                             'Graphics Card PCIe 4.0'])[1 + (b.h >> 12) % 6] END AS title,
                 round(CASE WHEN b.kind = 'rental' THEN (coalesce(m.tf, 20) * 0.012 + 0.1) * b.r
                            ELSE (coalesce(m.tf, 20) * 22 + 120) * b.r END::numeric,
                       CASE WHEN b.kind = 'rental' THEN 4 ELSE 2 END) AS price,
                 b.first_seen + CASE WHEN b.active THEN (now() - b.first_seen) - ((b.h >> 6) % 43200) * interval '1 s'
                                     ELSE (now() - b.first_seen) * ((10 + (b.h >> 10) % 80) / 100.0) END AS last_seen
          FROM (
            SELECT i, h, CASE WHEN i % 5 = 0 THEN 'rental' ELSE 'sale' END AS kind,
                   CASE WHEN i % 5 = 0 THEN 'hour' ELSE 'total' END AS unit,
                   (CASE WHEN i % 5 = 0 THEN 1 + (h >> 3) % 4 ELSE 1 END)::int AS gpu_count,
                   (ARRAY['new', 'used', 'refurbished', 'unknown'])[1 + (h >> 14) % 4] AS condition,
                   (ARRAY['US', 'DE', 'PL', 'CA', 'GB', 'FR'])[1 + (h >> 15) % 6] AS location,
                   0.7 + ((h >> 16) % 1000) / 1000.0 * 0.6 AS r, i % 10 <> 0 AS active, 1 + i % 19 AS k,
                   now() - interval '1 day' - ((h >> 4) % 363) * interval '1 day' - (h % 86400) * interval '1 s'
                     AS first_seen,
                   CASE WHEN i % 10 = 3 THEN 1 ELSE 2 + (h >> 5) % {others} END AS source
            FROM (SELECT i, (i * 2654435761) % 4294967296 AS h FROM generate_series({from}::bigint, {to}) i) hh
          ) b
          JOIN m ON m.k = b.h % (SELECT count(*) FROM gpu_models)
        ) x
        JOIN sources s ON s.id = x.source
        """
        .replace("{from}", Long.toString(from))
        .replace("{to}", Long.toString(to))
        .replace("{others}", Integer.toString(sources - 1));
  }

  /**
   * Each listing's price points: {@code k} of them spread evenly from its first sighting to its
   * last, each a cent in a hundred dearer than the next; the last is the listing's current price at
   * its {@code price_changed_at}.
   */
  private static String historySql(long from, long to) {
    return """
        INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd)
        SELECT l.id, l.first_seen_at + (l.last_seen_at - l.first_seen_at) * j / k.k, p.price, l.currency, p.price
        FROM listings l
        CROSS JOIN LATERAL (SELECT 1 + l.id % 19 AS k) k
        CROSS JOIN LATERAL generate_series(0, k.k - 1) j
        CROSS JOIN LATERAL (SELECT round(l.price * (1 + 0.01 * (k.k - 1 - j)),
                                         CASE WHEN l.price_unit = 'hour' THEN 4 ELSE 2 END) AS price) p
        WHERE l.id BETWEEN {from} AND {to}
        """
        .replace("{from}", Long.toString(from))
        .replace("{to}", Long.toString(to));
  }

  /**
   * Rejected listings {@code from..to}: accessories, whole computers, laptops, unknown models,
   * outliers.
   */
  private String rejectedSql(long from, long to) {
    return """
        INSERT INTO rejected_listings (id, source_id, external_id, title, reason, detail, gpu_slug, price, currency,
          price_usd, url, first_seen_at, last_seen_at)
        OVERRIDING SYSTEM VALUE
        SELECT r, 1 + h % {sources}, 'r' || r,
               (ARRAY['PCIe 4.0 riser cable for graphics card', 'Gaming PC Ryzen 7 RTX 4070 32GB RAM',
                      'Laptop RTX 4060 16 inch', 'Graphics card XYZ-9000 8GB', 'RTX 4090 24GB', 'GPU support bracket',
                      'RTX 3080 10GB box only'])[1 + (h >> 4) % 7] || ' #' || r,
               (ARRAY['not_a_gpu', 'not_a_gpu', 'laptop', 'unknown_model', 'price_outlier', 'not_a_gpu',
                      'suspicious'])[1 + (h >> 4) % 7],
               NULL, CASE WHEN (h >> 4) % 7 = 4 THEN 'rtx-4090' END, 10 + (h >> 8) % 3000, 'USD',
               10 + (h >> 8) % 3000, 'https://shop.example/junk/' || r,
               now() - ((h >> 6) % 365) * interval '1 day', now() - ((h >> 6) % 30) * interval '1 hour'
        FROM (SELECT r, (r * 2654435761) % 4294967296 AS h FROM generate_series({from}::bigint, {to}) r) x
        """
        .replace("{from}", Long.toString(from))
        .replace("{to}", Long.toString(to))
        .replace("{sources}", Integer.toString(sources));
  }
}
