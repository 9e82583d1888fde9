package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.listings.SearchStatements;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.MultiMap;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The listing search's SQL is made for PostgreSQL's plan cache: a search by GPU and price ceiling,
 * prepared once per connection, settles on a generic plan after five executions instead of being
 * planned again on every request, and that generic plan walks the partial indexes on active
 * listings.
 */
class ListingSearchPlanTest {
  private static final String SEARCH =
      SearchStatements.of(
              MultiMap.caseInsensitiveMultiMap().add("gpu", "rtx-4090").add("max_price", "1500"))
          .getKey();

  private static DatabaseUrl seededDb;

  /**
   * A connection of its own (sessions settings stay in it) to one database seeded for the whole
   * class.
   */
  private static synchronized Connection seeded() throws Exception {
    if (seededDb == null) {
      DatabaseUrl db = TestDatabases.fresh();
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
        seed(c);
      }
      seededDb = db;
    }
    return DriverManager.getConnection(seededDb.jdbcUrl(), seededDb.user(), seededDb.password());
  }

  private static void seed(Connection c) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://s/')");
      // As the market looks: the cards people list most (consumer models since 2016, about 120 of
      // the catalog's 350,
      // so each has some 330 listings as when every model of the old catalog was listed), per model
      // cards for sale
      // around one price and rentals at a few dollars an hour, seen at different times.
      st.execute(
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
              + " price_usd, first_seen_at, last_seen_at, updated_at, price_changed_at, active)"
              + " SELECT 1, 'x' || i, k.kind, 'card ' || i, m.slugs[1 + i % cardinality(m.slugs)], k.price, 'USD', k.unit,"
              + " k.price, now() - i * interval '1 minute', now() - (i % 720) * interval '1 hour', now(), now(), i % 10 <> 0"
              + " FROM generate_series(1, 40000) i CROSS JOIN (SELECT array_agg(slug ORDER BY slug) AS slugs FROM gpu_models"
              + " WHERE segment = 'consumer' AND release_year >= 2016) m"
              + " CROSS JOIN LATERAL (SELECT CASE WHEN i % 5 = 0 THEN 'rental' ELSE 'sale' END AS kind,"
              + " CASE WHEN i % 5 = 0 THEN 1 + i % 3 ELSE 1000 + (i * 7919) % 1000 END AS price,"
              + " CASE WHEN i % 5 = 0 THEN 'hour' ELSE 'total' END AS unit) k");
      st.execute("ANALYZE listings");
    }
  }

  /**
   * With the price ceiling compared to the parameter itself, each custom plan read the ceiling's
   * selectivity from the histogram, and with the limit a parameter the generic plan counted on
   * reading a tenth of the rows: either made every custom plan look cheaper than the generic one,
   * so PostgreSQL planned every execution.
   */
  @Test
  @DisplayName(
      "a prepared GPU search settles on a generic plan: not planned again on every execution")
  void settlesOnGenericPlan() throws Exception {
    try (Connection c = seeded();
        Statement st = c.createStatement()) {
      st.execute("PREPARE search AS " + SEARCH);
      // Ceilings above most of the model's prices, as people set them: the histogram made each
      // custom plan cheap.
      for (int i = 1; i <= 10; i++) {
        st.execute("EXECUTE search('rtx-4090', '" + (1500 + 150 * i) + "')");
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'search'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("custom_plans")).as("custom plans").isEqualTo(5);
        assertThat(rs.getLong("generic_plans")).as("generic plans").isEqualTo(5);
      }
    }
  }

  /**
   * With the active flag bound as a parameter the planner could not prove the indexes' {@code WHERE
   * active}. Before V16 the search also joined sources and the catalog and divided per row for
   * every row it returned, and fetched each listing above the ceiling from the heap only to reject
   * it.
   */
  @Test
  @DisplayName(
      "a generic plan of a GPU search reads the partial GPU index alone, its price ceiling an index condition")
  void genericPlanUsesPartialIndex() throws Exception {
    try (Connection c = seeded();
        Statement st = c.createStatement()) {
      st.execute("SET plan_cache_mode = force_generic_plan");
      st.execute("PREPARE search AS " + SEARCH);
      String plan = explain(st, "EXPLAIN EXECUTE search('rtx-4090', '1500')");
      assertThat(plan)
          .as(plan)
          .contains("$1", "Index Scan using listings_gpu_last_seen_idx on listings")
          .containsPattern("Index Cond: .*price_usd <=")
          .doesNotContain("Seq Scan", "Join", "Nested Loop", "gpu_models", "sources", "Filter");
    }
  }

  /**
   * V15: the default page had an index in the other id direction (an incremental sort); first seen
   * had none.
   */
  @Test
  @DisplayName(
      "newest first (the default page), removed listings and the first-seen orders walk an index: no sort")
  void browseOrdersWalkAnIndex() throws Exception {
    try (Connection c = seeded();
        Statement st = c.createStatement()) {
      for (String order :
          new String[] {"", "active=false", "sort=first_seen", "sort=-first_seen"}) {
        MultiMap q = MultiMap.caseInsensitiveMultiMap();
        if (!order.isEmpty()) {
          q.add(order.substring(0, order.indexOf('=')), order.substring(order.indexOf('=') + 1));
        }
        var statement = SearchStatements.of(q);
        assertThat(statement.getValue().size())
            .as(order + ": a statement without parameters")
            .isZero();
        String plan = explain(st, "EXPLAIN " + statement.getKey());
        assertThat(plan)
            .as("'" + order + "': " + plan)
            .containsPattern(
                "Index Scan( Backward)? using" + " listings_(last|first)_seen_idx on listings")
            .doesNotContain("Sort");
      }
    }
  }

  /**
   * The figure orders over every active listing sorted all of them (0.15-0.65 s at 200,000) before
   * V16. Their indexes begin with the kind (V26): they began with the figure, and a sale order
   * walked past every active rental, whose hourly prices come first, before its first sale (100 ms
   * a page at 200,000 listings, bench/scale.sh).
   */
  @Test
  @DisplayName(
      "the price and figure orders walk an index of their kind and figure: no sort, no rows filtered out")
  void figureOrdersWalkAnIndex() throws Exception {
    try (Connection c = seeded();
        Statement st = c.createStatement()) {
      for (String[] order :
          new String[][] {
            {"price", "kind_price"},
            {"-price", "kind_price"},
            {"price&kind=rental", "kind_price"},
            {"price_per_gb", "kind_price_per_gb"},
            {"price_per_tflop", "kind_price_per_tflop"},
            {"value", "value"},
            {"value&kind=rental", "value"}
          }) {
        MultiMap q = MultiMap.caseInsensitiveMultiMap().add("sort", order[0].split("&")[0]);
        if (order[0].contains("&kind=")) {
          q.add("kind", order[0].substring(order[0].indexOf("&kind=") + 6));
        }
        var statement = SearchStatements.of(q);
        st.execute("PREPARE figure AS " + statement.getKey());
        StringBuilder args = new StringBuilder();
        for (int i = 0; i < statement.getValue().size(); i++) {
          args.append(i == 0 ? "" : ", ")
              .append('\'')
              .append(statement.getValue().getValue(i))
              .append('\'');
        }
        String plan =
            explain(st, "EXPLAIN EXECUTE figure" + (args.length() == 0 ? "" : "(" + args + ")"));
        st.execute("DEALLOCATE figure");
        assertThat(plan)
            .as(order[0] + ": " + plan)
            .containsPattern(
                "Index Scan( Backward)? using listings_" + order[1] + "_idx on listings")
            .containsPattern("Index Cond: \\(+kind = ")
            .doesNotContain("Sort", "Filter");
      }
    }
  }

  private static String explain(Statement st, String sql) throws Exception {
    StringBuilder plan = new StringBuilder();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }
}
