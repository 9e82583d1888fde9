package dev.gputracker.api.gpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.ApiSql;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiSql#GPU_HISTORY} reads only the window's observations and the one before it per
 * listing, and lets each span yield the buckets it overlaps: it must give exactly the rows of the
 * definition it replaced, which read the model's whole history and compared every span with every
 * bucket (kept here as the reference).
 */
class GpuHistoryQueryTest {
  /**
   * The query before bench/scale.sh: every span of the model against every bucket from its first
   * price.
   */
  private static final String REFERENCE =
      """
      WITH spans AS (
        SELECT l.kind, h.price_usd / l.gpu_count AS price, h.observed_at AS valid_from,
               coalesce(lead(h.observed_at) OVER (PARTITION BY h.listing_id ORDER BY h.observed_at), l.removed_at,
                        'infinity'::timestamptz) AS valid_to
        FROM price_history h JOIN listings l ON l.id = h.listing_id
        WHERE l.gpu_slug = $1 AND h.price_usd IS NOT NULL
      ),
      buckets AS (
        SELECT generate_series(date_trunc($2, greatest(now() - make_interval(days => $3),
                                                       (SELECT min(valid_from) FROM spans))),
                               date_trunc($2, now()), ('1 ' || $2)::interval) AS bucket
      )
      SELECT b.bucket, s.kind, count(*)::int AS samples, round(min(s.price), 4)::text AS min,
             round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.price::float8)::numeric, 4)::text AS median
      FROM buckets b JOIN spans s ON s.valid_from < b.bucket + ('1 ' || $2)::interval AND s.valid_to > b.bucket
      GROUP BY b.bucket, s.kind
      ORDER BY b.bucket, s.kind
      """;

  private static DatabaseUrl db;

  @BeforeAll
  static void seed() throws Exception {
    db = TestDatabases.fresh();
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("SELECT setseed(0.42)");
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://s/')");
      // 600 listings of two models: sales and multi-GPU rentals, one in four removed (some long
      // before any window,
      // some inside it), first seen up to 400 days ago; 1 to 12 observations each, some without a
      // USD price.
      st.execute(
          """
          INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit, price_usd,
            gpu_count, first_seen_at, last_seen_at, updated_at, price_changed_at, active, removed_at)
          SELECT 1, 'x' || i, CASE WHEN i % 3 = 0 THEN 'rental' ELSE 'sale' END, 'card ' || i,
                 CASE WHEN i % 7 = 0 THEN 'rtx-3090' ELSE 'rtx-4090' END, 100, 'USD',
                 CASE WHEN i % 3 = 0 THEN 'hour' ELSE 'total' END, 100, CASE WHEN i % 3 = 0 THEN 1 + i % 4 ELSE 1 END,
                 f, coalesce(r, now()), now(), now(), r IS NULL, r
          FROM generate_series(1, 600) i
          CROSS JOIN LATERAL (SELECT now() - random() * interval '400 days' AS f) t
          CROSS JOIN LATERAL (SELECT CASE WHEN i % 4 = 0 THEN f + (now() - f) * random() END AS r) u
          """);
      st.execute(
          """
          INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd)
          SELECT l.id, l.first_seen_at + (coalesce(l.removed_at, now()) - l.first_seen_at) * j / 12.0, p, 'USD',
                 CASE WHEN random() < 0.05 THEN NULL ELSE p END
          FROM listings l
          CROSS JOIN LATERAL generate_series(0, (random() * 11)::int) j
          CROSS JOIN LATERAL (SELECT round((50 + random() * 1000)::numeric, 2) AS p) q
          """);
      st.execute("ANALYZE");
    }
  }

  @Test
  @DisplayName(
      "a model's price series is the reference's, row for row, for every bucket size and window")
  void sameRowsAsTheReference() throws Exception {
    int compared = 0;
    try (Connection c = connect()) {
      // One transaction: now(), which places the buckets, is the same for both queries only within
      // one.
      c.setAutoCommit(false);
      for (String slug : new String[] {"rtx-4090", "rtx-3090", "rtx-2080"}) {
        for (Object[] w :
            new Object[][] {
              {"day", 90},
              {"day", 14},
              {"day", 3650},
              {"week", 365},
              {"week", 30},
              {"hour", 31},
              {"hour", 1},
              {"minute", 1}
            }) {
          List<String> expected = rows(c, REFERENCE, slug, (String) w[0], (int) w[1]);
          List<String> actual = rows(c, ApiSql.GPU_HISTORY, slug, (String) w[0], (int) w[1]);
          assertThat(actual).as(slug + " " + w[0] + " " + w[1]).isEqualTo(expected);
          compared += expected.size();
        }
      }
      c.commit();
    }
    assertThat(compared).as("rows compared").isGreaterThan(1000);
  }

  @Test
  @DisplayName(
      "the series reads the model's listings by index and their observations by primary key: no scan")
  void readsByIndex() throws Exception {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute(
          "SET enable_seqscan = off"); // the tables are small: only whether an index can serve
      // counts here
      st.execute(
          "PREPARE history(text, text, int) AS " + ApiSql.GPU_HISTORY.replace("$1", "$1::text"));
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE history('rtx-4090', 'day', 90)")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      assertThat(plan.toString())
          .as(plan.toString())
          .contains("listings_gpu_idx", "price_history_pkey")
          .doesNotContain("Seq Scan");
    }
  }

  private static List<String> rows(Connection c, String sql, String slug, String unit, int days)
      throws Exception {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(sql.replace("$1", "?").replace("$2", "?").replace("$3", "?"))) {
      int i = 0;
      for (int k = 0; k < sql.length(); k++) {
        if (sql.charAt(k) == '$') {
          char p = sql.charAt(k + 1);
          i++;
          if (p == '1') {
            ps.setString(i, slug);
          } else if (p == '2') {
            ps.setString(i, unit);
          } else {
            ps.setInt(i, days);
          }
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
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
    }
    return out;
  }

  private static Connection connect() throws Exception {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }
}
