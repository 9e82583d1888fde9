package dev.gputracker.api.gpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.ApiSql;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The market figures of {@code /api/gpus} come from the price-band counts and the market index
 * (V27), stored per model and recomputed for the models a write marked (V30), not from an aggregate
 * over every active listing: after every kind of write (the worker's upsert, a removal pass, a
 * model or kind changed, a price lost, rows deleted) they must be the aggregate's to the last
 * digit, and the band counts kept by the triggers must be what counting afresh gives.
 */
class MarketSummaryTest {
  /** The aggregate the summary replaced: every active priced listing, sorted per model and kind. */
  private static final String AGGREGATE =
      """
      WITH market AS (
        SELECT gpu_slug,
               count(*)::int AS active_listings,
               (count(*) FILTER (WHERE kind = 'sale'))::int AS sale_count,
               min(price_usd / gpu_count) FILTER (WHERE kind = 'sale') AS sale_min,
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY (price_usd / gpu_count)::float8)
                     FILTER (WHERE kind = 'sale')::numeric, 4) AS sale_median,
               round(percentile_cont(0.9) WITHIN GROUP (ORDER BY (price_usd / gpu_count)::float8)
                     FILTER (WHERE kind = 'sale')::numeric, 4) AS sale_p90,
               (count(*) FILTER (WHERE kind = 'rental'))::int AS rental_count,
               min(price_usd / gpu_count) FILTER (WHERE kind = 'rental') AS rental_min,
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY (price_usd / gpu_count)::float8)
                     FILTER (WHERE kind = 'rental')::numeric, 4) AS rental_median
        FROM listings
        WHERE active AND price_usd IS NOT NULL AND gpu_slug IS NOT NULL AND ($1::text IS NULL OR gpu_slug = $1)
        GROUP BY gpu_slug
      )
      """
          + ApiSql.GPUS_BY_LISTINGS.substring(
              ApiSql.GPUS_BY_LISTINGS.indexOf("SELECT g.slug, g.vendor"));

  /**
   * What the worker's page write does to a listing that is seen again, reduced to the columns that
   * matter here.
   */
  private static final String UPSERT =
      """
      INSERT INTO listings AS l (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit, price_usd,
        gpu_count, first_seen_at, last_seen_at, updated_at, price_changed_at, active)
      SELECT 1, 'x' || i, CASE WHEN i % 3 = 0 THEN 'rental' ELSE 'sale' END, 'card', 'rtx-4090', p, 'USD',
             CASE WHEN i % 3 = 0 THEN 'hour' ELSE 'total' END, p, 1, now(), now(), now(), now(), true
      FROM generate_series(1, 400) i CROSS JOIN LATERAL (SELECT round((900 + random() * 900)::numeric, 2) AS p) q
      ON CONFLICT (source_id, external_id) DO UPDATE SET price = EXCLUDED.price, price_usd = EXCLUDED.price_usd,
        active = true, removed_at = NULL, last_seen_at = now()
      """;

  @Test
  @DisplayName(
      "after every kind of write, the market figures are the full aggregate's and the band counts a recount's")
  void exactAfterEveryWrite() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute("SELECT setseed(0.7)");
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://s/')");
      // Six models: many listings with repeated prices, rentals of 1-4 GPUs at four-decimal hourly
      // prices, listings
      // without a USD price, removed ones; a model with one sale and one with two (interpolation
      // between them).
      st.execute(
          """
          INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit, price_usd,
            gpu_count, first_seen_at, last_seen_at, updated_at, price_changed_at, active)
          SELECT 1, 'y' || i, k, 'card', (ARRAY['rtx-4090', 'rtx-3090', 'rtx-3060-12gb', 'a100-80gb'])[1 + i % 4], p,
                 'USD', CASE WHEN k = 'rental' THEN 'hour' ELSE 'total' END,
                 CASE WHEN i % 37 = 0 THEN NULL ELSE p END, CASE WHEN k = 'rental' THEN 1 + i % 4 ELSE 1 END,
                 now(), now(), now(), now(), i % 9 <> 0
          FROM generate_series(1, 3000) i
          CROSS JOIN LATERAL (SELECT CASE WHEN i % 5 = 0 THEN 'rental' ELSE 'sale' END AS k) kk
          CROSS JOIN LATERAL (SELECT CASE WHEN k = 'rental' THEN round((0.2 + random() * 3)::numeric, 4)
                                          WHEN i % 11 = 0 THEN 999.99
                                          ELSE round((100 + random() * 2000)::numeric, 2) END AS p) q
          """);
      st.execute(
          """
          INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit, price_usd,
            gpu_count, first_seen_at, last_seen_at, updated_at, price_changed_at, active)
          VALUES (1, 'one', 'sale', 'card', 'rx-7900-xtx', 801.5, 'USD', 'total', 801.5, 1, now(), now(), now(), now(), true),
                 (1, 'two-a', 'sale', 'card', 'rtx-2080', 300, 'USD', 'total', 300, 1, now(), now(), now(), now(), true),
                 (1, 'two-b', 'sale', 'card', 'rtx-2080', 455.55, 'USD', 'total', 455.55, 1, now(), now(), now(), now(), true),
                 (1, 'free', 'sale', 'card', 'rtx-2080', 0, 'USD', 'total', 0, 1, now(), now(), now(), now(), false)
          """);
      assertExact(c, "seeded");
      st.execute(UPSERT);
      assertExact(c, "the worker's upsert, new listings");
      st.execute(UPSERT);
      assertExact(c, "the worker's upsert, prices changed");
      st.execute(
          "UPDATE listings SET active = false, removed_at = now() WHERE active AND id % 7 = 1");
      assertExact(c, "a removal pass");
      st.execute(
          "UPDATE listings SET active = true, removed_at = NULL WHERE NOT active AND id % 3 = 0");
      assertExact(c, "listings back on the market");
      st.execute(
          "UPDATE listings SET gpu_slug = 'rtx-3060-12gb' WHERE gpu_slug = 'rtx-3090' AND id % 2 = 0");
      assertExact(c, "listings moved to another model");
      st.execute(
          "UPDATE listings SET kind = 'rental', price_unit = 'hour', gpu_count = 2 WHERE kind = 'sale'"
              + " AND id % 13 = 0");
      assertExact(c, "sales turned rentals of two GPUs");
      st.execute("UPDATE listings SET price_usd = NULL WHERE id % 17 = 0");
      assertExact(c, "prices without a USD rate");
      st.execute("UPDATE listings SET gpu_slug = NULL WHERE id % 19 = 0");
      assertExact(c, "listings no longer matched to a model");
      st.execute("DELETE FROM price_history");
      st.execute("DELETE FROM listings WHERE id % 5 = 2");
      assertExact(c, "listings deleted");
      st.execute("DELETE FROM listings WHERE gpu_slug = 'rx-7900-xtx'");
      assertExact(c, "a model's only listing deleted");
    }
  }

  /**
   * Exact with the write's models marked (computed by the statement), then after the worker's
   * refresh (stored, V30): no mark left, and the stored rows are a fresh computation's.
   */
  private static void assertExact(Connection c, String after) throws Exception {
    assertExactNow(c, after);
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      st.execute("SELECT gpu_market_refresh()");
    }
    c.commit();
    c.setAutoCommit(true);
    assertThat(rows(c, "SELECT count(*) AS marks FROM gpu_market_marks", null))
        .containsExactly("marks=0 ");
    assertThat(rows(c, "SELECT * FROM gpu_market ORDER BY 1", null))
        .as(after + ": the stored figures")
        .isEqualTo(rows(c, "SELECT * FROM gpu_market_compute(NULL) ORDER BY 1", null));
    assertExactNow(c, after + ", refreshed");
    try (Statement st = c.createStatement()) {
      // Listings seen again, nothing of their market changed: no model is marked.
      st.execute("UPDATE listings SET last_seen_at = now(), updated_at = now()");
    }
    assertThat(rows(c, "SELECT count(*) AS marks FROM gpu_market_marks", null))
        .containsExactly("marks=0 ");
  }

  private static void assertExactNow(Connection c, String after) throws Exception {
    for (String slug : new String[] {null, "rtx-4090", "rtx-2080", "rx-7900-xtx", "gt-610"}) {
      List<String> expected = rows(c, AGGREGATE, slug);
      List<String> actual = rows(c, ApiSql.GPUS_BY_LISTINGS, slug);
      assertThat(actual)
          .as(after + ", " + (slug == null ? "every model" : slug))
          .isEqualTo(expected);
    }
    List<String> recount =
        rows(
            c,
            "SELECT gpu_slug, kind, market_band AS band, count(*) AS listings FROM listings WHERE active AND"
                + " price_usd IS NOT NULL AND gpu_slug IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
            null);
    List<String> kept =
        rows(
            c,
            "SELECT gpu_slug, kind, band, listings FROM gpu_market_bands WHERE listings > 0"
                + " ORDER BY 1, 2, 3",
            null);
    assertThat(kept).as(after + ": the band counts").isEqualTo(recount).isNotEmpty();
  }

  private static List<String> rows(Connection c, String sql, String slug) throws Exception {
    List<String> out = new ArrayList<>();
    String jdbc = sql.replace("$1", "?::text").replace("$2", "?::text").replace("$3", "?::boolean");
    try (PreparedStatement ps = c.prepareStatement(jdbc)) {
      bind(ps, sql, slug);
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.append(md.getColumnLabel(i)).append('=').append(rs.getString(i)).append(' ');
          }
          out.add(row.toString());
        }
      }
    }
    return out;
  }

  /**
   * Binds each {@code $n} of {@code sql}, in the order they appear: $1 the slug, $2 no vendor, $3
   * listed false.
   */
  private static void bind(PreparedStatement ps, String sql, String slug) throws Exception {
    int i = 0;
    for (int k = 0; k < sql.length(); k++) {
      if (sql.charAt(k) == '$' && k + 1 < sql.length() && Character.isDigit(sql.charAt(k + 1))) {
        i++;
        switch (sql.charAt(k + 1)) {
          case '1' -> ps.setString(i, slug);
          case '2' -> ps.setString(i, null);
          default -> ps.setBoolean(i, false);
        }
      }
    }
  }
}
