package dev.gputracker.api.listings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.ApiSql;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.MultiMap;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The deal order reads, per model, the cheapest listings per GPU and then those up to a bound
 * ({@link ApiSql#DEAL_BOUND}), instead of sorting every active sale: page after page, with filters
 * and cursors, it must return exactly the rows of the plain query (the same statement without the
 * bound), ties on the rounded deal included.
 */
class DealOrderQueryTest {
  private static DatabaseUrl db;
  private static final Map<String, BigDecimal> MEDIANS = new LinkedHashMap<>();

  @BeforeAll
  static void seed() throws Exception {
    db = TestDatabases.fresh();
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("SELECT setseed(0.3)");
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://s/'),"
              + " ('other', 'demo', 'http://o/')");
      // Sales of four models at prices that repeat (ties on the rounded deal), multi-GPU lots,
      // listings without a
      // USD price, removed ones, and rentals (never in the deal order).
      st.execute(
          """
          INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit, price_usd,
            gpu_count, condition, first_seen_at, last_seen_at, updated_at, price_changed_at, active)
          SELECT 1 + i % 2, 'x' || i, CASE WHEN i % 6 = 0 THEN 'rental' ELSE 'sale' END, 'card',
                 (ARRAY['rtx-4090', 'rtx-3090', 'rtx-2080', 'rx-7900-xtx'])[1 + i % 4], p, 'USD',
                 CASE WHEN i % 6 = 0 THEN 'hour' ELSE 'total' END, CASE WHEN i % 29 = 0 THEN NULL ELSE p END,
                 CASE WHEN i % 7 = 0 THEN 2 ELSE 1 END, (ARRAY['new', 'used'])[1 + i % 2], now(), now(), now(), now(),
                 i % 11 <> 0
          FROM generate_series(1, 4000) i
          CROSS JOIN LATERAL (SELECT round((500 + random() * 1000)::numeric / 5, 0) * 5 + 0.99 AS p) q
          """);
      st.execute("ANALYZE listings");
    }
    MEDIANS.put("rtx-4090", new BigDecimal("1010.9900"));
    MEDIANS.put("rtx-3090", new BigDecimal("905.4950"));
    MEDIANS.put("rtx-2080", new BigDecimal("1000"));
  }

  @Test
  @DisplayName(
      "sort=deal pages through exactly the rows of the unbounded order, with filters and cursors")
  void sameRowsAsTheUnboundedOrder() throws Exception {
    int compared = 0;
    for (String filter :
        new String[] {"", "condition=used", "source=other", "gpu=rtx-3090", "max_price=900"}) {
      for (int limit : new int[] {1, 7, 50}) {
        String cursor = null;
        for (int page = 0; page < 6; page++) {
          MultiMap q =
              MultiMap.caseInsensitiveMultiMap()
                  .add("sort", "deal")
                  .add("limit", Integer.toString(limit));
          if (!filter.isEmpty()) {
            q.add(
                filter.substring(0, filter.indexOf('=')),
                filter.substring(filter.indexOf('=') + 1));
          }
          if (cursor != null) {
            q.add("cursor", cursor);
          }
          ListingQuery query = ListingQuery.parse(q, 200, MEDIANS);
          assertThat(query.sql).contains("deal_bound");
          String unbounded =
              query
                  .sql
                  .substring(query.sql.indexOf("SELECT l.id"))
                  .replace(" AND " + ApiSql.DEAL_WITHIN_BOUND, "");
          List<String[]> expected = rows(unbounded, query.params);
          List<String[]> actual = rows(query.sql, query.params);
          assertThat(actual)
              .as(filter + " limit " + limit + " page " + page)
              .usingElementComparator((a, b) -> String.join(",", a).compareTo(String.join(",", b)))
              .isEqualTo(expected);
          compared += expected.size();
          if (expected.size() <= limit) {
            break;
          }
          String[] last = expected.get(limit - 1);
          cursor = ListingQuery.Cursor.encode(ListingSort.DEAL, last[1], Long.parseLong(last[0]));
        }
      }
    }
    assertThat(compared).as("rows compared").isGreaterThan(300);
  }

  private static List<String[]> rows(String sql, Tuple params) throws Exception {
    List<String[]> out = new ArrayList<>();
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement(sql.replaceAll("\\$(\\d+)", "?"))) {
      // Each $n in order of appearance, bound from the tuple (arrays as text arrays).
      Matcher m = Pattern.compile("\\$(\\d+)").matcher(sql);
      int i = 0;
      while (m.find()) {
        Object v = params.getValue(Integer.parseInt(m.group(1)) - 1);
        i++;
        if (v instanceof String[] a) {
          ps.setArray(i, c.createArrayOf("text", a));
        } else {
          ps.setObject(i, v);
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new String[] {rs.getString("id"), rs.getString("vs_median_pct")});
        }
      }
    }
    return out;
  }

  private static Connection connect() throws Exception {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }
}
