package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.listings.ListingsHandler;
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
 * The listing search's SQL stays plannable from its parameters alone: a generic plan (what PostgreSQL may switch a
 * prepared statement to after five executions) still walks the partial indexes on active listings. With the
 * active flag bound as a parameter it could not: the planner cannot prove {@code WHERE active} from {@code $n}.
 */
class ListingSearchPlanTest {

  @Test
  @DisplayName("a generic plan of a GPU search uses the partial (gpu, last seen) index of active listings")
  void genericPlanUsesPartialIndex() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    MultiMap query = MultiMap.caseInsensitiveMultiMap().add("gpu", "rtx-4090").add("max_price", "1500");
    String sql = ListingsHandler.statementFor(query).getKey();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://s/')");
      st.execute("INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
          + " price_usd, first_seen_at, last_seen_at, updated_at, price_changed_at, active)"
          + " SELECT 1, 'x' || i, 'sale', 'card ' || i, (ARRAY['rtx-4090', 'rtx-3090', 'a100-80gb', 'h100-sxm'])[1 + i % 4],"
          + " 500 + i % 2000, 'USD', 'total', 500 + i % 2000, now() - i * interval '1 minute', now(), now(), now(),"
          + " i % 10 <> 0 FROM generate_series(1, 20000) i");
      st.execute("ANALYZE listings");
      st.execute("SET plan_cache_mode = force_generic_plan");
      st.execute("PREPARE search AS " + sql);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE search('rtx-4090', '1500', 51)")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      assertThat(plan.toString()).as("the generic plan").contains("$1").contains("listings_gpu_last_seen_idx")
          .doesNotContain("Seq Scan on listings");
    }
  }
}
