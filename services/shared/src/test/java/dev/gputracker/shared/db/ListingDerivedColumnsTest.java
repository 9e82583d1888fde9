package dev.gputracker.shared.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.ListingCopies;
import dev.gputracker.shared.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * V16: a listing's copies of its source's name, its model's vendor and performance index, and its
 * three figures stay equal to what the listing search joined and computed before, through every
 * write they follow: the listing's own insert and update, a change of its model's catalog figures
 * (measured FP32 included), a source's rename, and a re-seed of the catalog.
 */
class ListingDerivedColumnsTest {
  @Test
  @DisplayName("stored figures, vendor and source name follow every write they are made from")
  void copiesFollowTheirInputs() throws Exception {
    DatabaseUrl url = TestDatabases.fresh();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://s/')");
      st.execute(
          """
          INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit, price_usd,
            gpu_count, vram_gb, first_seen_at, last_seen_at, updated_at, price_changed_at) VALUES
            (1, 'card', 'sale', 'RTX 4090', 'rtx-4090', 1599.99, 'USD', 'total', 1599.99, 1, NULL, now(), now(), now(), now()),
            (1, 'pod', 'rental', '8x H100', 'h100-sxm', 19.92, 'USD', 'hour', 19.92, 8, NULL, now(), now(), now(), now()),
            (1, 'odd', 'sale', 'some card 12GB', NULL, 333.33, 'USD', 'total', 333.33, 1, 12, now(), now(), now(), now()),
            (1, 'free', 'sale', 'RTX 3090 for free', 'rtx-3090', 0, 'USD', 'total', 0, 1, NULL, now(), now(), now(), now()),
            (1, 'ask', 'sale', 'A100 price on request', 'a100-80gb', NULL, NULL, 'total', NULL, 2, 80, now(), now(), now(), now())
          """);
      assertThat(stale(st)).as("after insert").isZero();
      assertThat(
              text(
                  st,
                  "SELECT source_name || ' ' || vendor || ' ' || price_per_gb || ' ' || value"
                      + " FROM listings WHERE external_id = 'card'"))
          .isEqualTo("shop nvidia 66.6663 6.2500");
      assertThat(
              text(
                  st,
                  "SELECT concat_ws(',', vendor, price_per_gb, price_per_tflop, value)"
                      + " FROM listings WHERE external_id = 'odd'"))
          .as("no model: only its own VRAM")
          .isEqualTo("27.7775");
      assertThat(text(st, "SELECT value FROM listings WHERE external_id = 'free'"))
          .as("no value for nothing")
          .isNull();

      st.execute(
          "UPDATE listings SET price_usd = 1499.99, price = 1499.99 WHERE external_id = 'card'");
      st.execute("UPDATE listings SET gpu_count = 4 WHERE external_id = 'pod'");
      st.execute(
          "UPDATE listings SET gpu_slug = 'rtx-4080', vram_gb = 16 WHERE external_id = 'odd'");
      st.execute(
          "UPDATE listings SET kind = 'rental', price_unit = 'hour' WHERE external_id = 'free'");
      assertThat(stale(st)).as("after the listings' own updates").isZero();
      assertThat(text(st, "SELECT price_per_gb FROM listings WHERE external_id = 'card'"))
          .isEqualTo("62.4996");

      st.execute("UPDATE gpu_models SET vram_gb = 48, perf_index = 90 WHERE slug = 'rtx-4090'");
      st.execute("UPDATE gpu_models SET vendor = 'amd' WHERE slug = 'rtx-4080'");
      st.execute(
          "INSERT INTO gpu_benchmark_summary (gpu_slug, benchmarks, fp32_benchmarks, fp32_tflops,"
              + " last_measured_at) VALUES ('h100-sxm', 1, 1, 51.2, now())");
      st.execute("UPDATE sources SET name = 'shop-us' WHERE id = 1");
      assertThat(stale(st)).as("after catalog changes, a measured FP32 and a rename").isZero();
      assertThat(
              text(
                  st,
                  "SELECT price_per_gb || ' ' || value FROM listings WHERE external_id = 'card'"))
          .isEqualTo("31.2498 6.0000");
      assertThat(text(st, "SELECT price_per_tflop FROM listings WHERE external_id = 'pod'"))
          .isEqualTo("0.0973");

      st.execute("DELETE FROM gpu_benchmark_summary WHERE gpu_slug = 'h100-sxm'");
      assertThat(stale(st)).as("after the measurement is gone").isZero();

      // Re-seeding the catalog (Flyway does when the catalog file changes) puts the catalog's own
      // figures back.
      CatalogReseed.run(c);
      assertThat(stale(st)).as("after a re-seed of the catalog").isZero();
      assertThat(text(st, "SELECT vendor FROM listings WHERE external_id = 'odd'"))
          .isEqualTo("nvidia");
    }
  }

  /** A database with listings before V16 gets its copies filled by the migration itself. */
  @Test
  @DisplayName("V16 fills the copies of the listings that were already there")
  void migrationBackfills() throws Exception {
    DatabaseUrl url = TestDatabases.freshUnmigrated();
    Migrator.configure(url).target("15").load().migrate();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://s/')");
      st.execute(
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
              + " price_usd, gpu_count, vram_gb, first_seen_at, last_seen_at, updated_at, price_changed_at)"
              + " SELECT 1, 'x' || i, CASE WHEN i % 3 = 0 THEN 'rental' ELSE 'sale' END, 'card ' || i,"
              + " CASE WHEN i % 7 = 0 THEN NULL ELSE (SELECT slug FROM gpu_models ORDER BY slug OFFSET i % 40 LIMIT 1) END,"
              + " i * 3.17, 'USD', 'total', i * 3.17, 1 + i % 4, CASE WHEN i % 5 = 0 THEN 8 END, now(), now(), now(), now()"
              + " FROM generate_series(0, 199) i");
      Migrator.migrate(url);
      assertThat(text(st, "SELECT count(*) FROM listings WHERE source_name = 'shop'"))
          .isEqualTo("200");
      assertThat(stale(st)).as("copies after the migration").isZero();
    }
  }

  /**
   * The update trigger runs only when an input changed: the worker's upsert names every column, and
   * most of its updates only move last_seen_at. Shown with the catalog trigger switched off inside
   * a transaction, so the copies are knowingly out of date: an update of last_seen_at leaves them
   * so, an update of the price recomputes them.
   */
  @Test
  @DisplayName("updates that change none of a listing's inputs do not recompute its copies")
  void unrelatedUpdatesLeaveCopiesAlone() throws Exception {
    DatabaseUrl url = TestDatabases.fresh();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://s/')");
      st.execute(
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
              + " price_usd, first_seen_at, last_seen_at, updated_at, price_changed_at) VALUES (1, 'card', 'sale',"
              + " 'RTX 4090', 'rtx-4090', 1600, 'USD', 'total', 1600, now(), now(), now(), now())");
      c.setAutoCommit(false);
      st.execute("ALTER TABLE gpu_models DISABLE TRIGGER gpu_models_to_listings");
      st.execute("UPDATE gpu_models SET vram_gb = 32 WHERE slug = 'rtx-4090'");
      st.execute(
          "UPDATE listings SET last_seen_at = now(), title = 'RTX 4090 24GB', price = 1600, price_usd = 1600");
      assertThat(text(st, "SELECT price_per_gb FROM listings"))
          .as("inputs unchanged")
          .isEqualTo("66.6667");
      st.execute("UPDATE listings SET price_usd = 1601, price = 1601");
      assertThat(text(st, "SELECT price_per_gb FROM listings"))
          .as("price changed")
          .isEqualTo("50.0313");
      c.rollback();
    }
  }

  private static long stale(Statement st) throws Exception {
    try (ResultSet rs = st.executeQuery(ListingCopies.STALE)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String text(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      return rs.getString(1);
    }
  }
}
