package dev.gputracker.api.gpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.ApiSql;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The daily price series from the summary (V29: {@code gpu_price_days}, its open spans' row and the
 * marks writes leave) must be, row for row, the series computed from the price points ({@link
 * ApiSql#GPU_HISTORY}, itself tested against the original definition) at every moment: after a
 * refresh, after each kind of write before the next refresh (a new price, a removal, a relisting, a
 * listing moved to another model, a listing deleted), after the refresh that follows, and on the
 * days after a refresh's day, which the open spans' row answers.
 */
class GpuPriceDaysTest {
  private static final String[] MODELS = {"rtx-4090", "rtx-3090", "rtx-2080"};
  private static final int[] WINDOWS = {90, 14, 1, 3650};

  @Test
  @DisplayName(
      "the series from the summary is the series from the price points after every kind of write,"
          + " before and after the refresh")
  void exactAtEveryMoment() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      seed(st);
      assertSame(c, "before any refresh");
      // The migration summarized the empty market from its day on; as on a market that had price
      // points before the summary existed, each model is summarized from its first price point.
      st.execute("DELETE FROM gpu_price_days_state");
      st.execute("DELETE FROM gpu_price_days");
      // Never summarized: every day from the price points.
      assertSame(c, "never summarized");
      refreshMarked(c);
      assertThat(count(st, "SELECT count(*) FROM gpu_price_days_marks")).isZero();
      assertThat(count(st, "SELECT count(*) FROM gpu_price_days WHERE day < 'infinity'"))
          .as("summary rows")
          .isGreaterThan(500);
      assertSame(c, "after the refresh");

      // A new price today for listings of each kind, removed ones among them (whose last price then
      // holds from their removal to it).
      st.execute(
          "INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd)"
              + " SELECT id, now(), 77.77, 'USD', 77.77 FROM listings WHERE id IN (1, 3, 8)");
      assertThat(count(st, "SELECT count(*) FROM gpu_price_days_marks")).isPositive();
      assertSame(c, "after new prices");
      refreshMarked(c);
      assertSame(c, "after new prices, refreshed");

      // A removal today, and a relisting of a listing removed weeks ago (its last price holds
      // again from its removal on).
      st.execute("UPDATE listings SET active = false, removed_at = now() WHERE id = 2");
      st.execute(
          "UPDATE listings SET active = true, removed_at = NULL WHERE id = (SELECT min(id) FROM"
              + " listings WHERE removed_at < now() - interval '20 days' AND gpu_slug ="
              + " 'rtx-4090')");
      assertSame(c, "after a removal and a relisting");
      refreshMarked(c);
      assertSame(c, "after a removal and a relisting, refreshed");

      // A listing moved to another model, a rental's GPU count changed, a listing deleted.
      st.execute("UPDATE listings SET gpu_slug = 'rtx-3090' WHERE id = 5");
      st.execute("UPDATE listings SET gpu_count = gpu_count + 1 WHERE id = 6");
      st.execute("DELETE FROM listings WHERE id = 7");
      assertSame(c, "after a model, a GPU count and a deletion");
      refreshMarked(c);
      assertSame(c, "after a model, a GPU count and a deletion, refreshed");

      // The day boundary: the whole market, the summary included, moved two days into the past
      // (with the triggers off, as if the refresh had run two days ago and nothing was written
      // since). The two days since the refresh's day are answered by the open spans' row.
      st.execute("SET session_replication_role = replica");
      st.execute(
          "UPDATE listings SET first_seen_at = first_seen_at - interval '2 days',"
              + " removed_at = removed_at - interval '2 days'");
      st.execute("UPDATE price_history SET observed_at = observed_at - interval '2 days'");
      st.execute("UPDATE gpu_price_days SET day = day - interval '2 days' WHERE day < 'infinity'");
      st.execute(
          "UPDATE gpu_price_days_state SET since = since - interval '2 days',"
              + " refreshed_at = refreshed_at - interval '2 days'");
      st.execute("SET session_replication_role = origin");
      assertThat(
              count(
                  st,
                  "SELECT count(*) FROM gpu_price_days_state WHERE refreshed_at < date_trunc('day',"
                      + " now()) - interval '1 day'"))
          .isEqualTo(count(st, "SELECT count(*) FROM gpu_price_days_state"));
      assertSame(c, "two days after the refresh");
      // And a write after those days: the days from its own on come from the price points.
      st.execute(
          "INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd)"
              + " SELECT id, now(), 55.55, 'USD', 55.55 FROM listings WHERE id = 9");
      assertSame(c, "two days after the refresh, then a new price");
      refreshMarked(c);
      assertSame(c, "two days after the refresh, then a new price, refreshed");
    }
  }

  /**
   * 600 listings of two models (sales and 1-4 GPU rentals, a quarter removed) first seen over 400
   * days, each with 1 to 12 prices, some without a USD price.
   */
  private static void seed(Statement st) throws Exception {
    st.execute("SELECT setseed(0.31)");
    st.execute(
        "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://s/')");
    st.execute(
        """
        INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit, price_usd,
          gpu_count, first_seen_at, last_seen_at, updated_at, price_changed_at, active, removed_at)
        SELECT 1, 'x' || i, CASE WHEN i % 3 = 0 THEN 'rental' ELSE 'sale' END, 'card ' || i,
               CASE WHEN i % 7 = 0 THEN 'rtx-3090' ELSE 'rtx-4090' END, 100, 'USD',
               CASE WHEN i % 3 = 0 THEN 'hour' ELSE 'total' END, 100, CASE WHEN i % 3 = 0 THEN 1 + i % 4 ELSE 1 END,
               f, coalesce(r, now()), now(), now(), r IS NULL, r
        FROM generate_series(1, 600) i
        -- (each lateral refers to its row: an uncorrelated one would be computed once for all)
        CROSS JOIN LATERAL (SELECT now() - random() * interval '400 days' - i * interval '0 s' AS f) t
        CROSS JOIN LATERAL (SELECT CASE WHEN i % 4 = 0 THEN f + (now() - f) * random() END AS r) u
        """);
    st.execute(
        """
        INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd)
        SELECT l.id, l.first_seen_at + (coalesce(l.removed_at, now()) - l.first_seen_at) * j / 12.0, p, 'USD',
               CASE WHEN random() < 0.05 THEN NULL ELSE p END
        FROM listings l
        CROSS JOIN LATERAL generate_series(0, (random() * 11)::int + 0 * l.id::int) j
        CROSS JOIN LATERAL (SELECT round((50 + random() * 1000 + 0 * j)::numeric, 2) AS p) q
        """);
    st.execute("ANALYZE");
  }

  /**
   * What the worker does at a run's end: each marked model refreshed in its own REPEATABLE READ
   * transaction.
   */
  private static void refreshMarked(Connection c) throws Exception {
    List<String> slugs = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT DISTINCT gpu_slug FROM gpu_price_days_marks ORDER BY gpu_slug")) {
      while (rs.next()) {
        slugs.add(rs.getString(1));
      }
    }
    assertThat(slugs).as("marked models").isNotEmpty();
    c.setAutoCommit(false);
    for (String slug : slugs) {
      try (Statement st = c.createStatement()) {
        st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        st.execute("SELECT gpu_price_days_refresh('" + slug + "')");
      }
      c.commit();
    }
    c.setAutoCommit(true);
  }

  /** Both series, for every model and window, in one transaction (one now()). */
  private static void assertSame(Connection c, String moment) throws Exception {
    int compared = 0;
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("PREPARE days(text, int) AS " + ApiSql.GPU_HISTORY_DAYS);
      st.execute("PREPARE points(text, text, int) AS " + ApiSql.GPU_HISTORY);
      for (String slug : MODELS) {
        for (int days : WINDOWS) {
          List<String> expected = rows(st, "EXECUTE points('" + slug + "', 'day', " + days + ")");
          List<String> actual = rows(st, "EXECUTE days('" + slug + "', " + days + ")");
          assertThat(actual).as(moment + ": " + slug + " " + days + " days").isEqualTo(expected);
          compared += expected.size();
        }
      }
    } finally {
      c.rollback();
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        st.execute("DEALLOCATE ALL");
      }
    }
    assertThat(compared).as(moment + ": rows compared").isGreaterThan(300);
  }

  private static List<String> rows(Statement st, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(
            rs.getObject("bucket")
                + " "
                + rs.getString("kind")
                + " "
                + rs.getInt("samples")
                + " "
                + rs.getString("min")
                + " "
                + rs.getString("median"));
      }
    }
    return out;
  }

  private static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
