package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Market figures per model, buy-vs-rent, price series and a listing's history, over seeded real
 * PostgreSQL.
 */
class GpusApiTest {
  private static ApiServer server;
  private static Vertx vertx;
  private static WebClient client;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://s/'), ('cloud', 'demo', 'http://c/')");
      String cols =
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
              + " price_usd, gpu_count, first_seen_at, last_seen_at, updated_at, price_changed_at, active) VALUES ";
      st.execute(
          cols
              + "(1, 'a', 'sale', 'RTX 4090 a', 'rtx-4090', 1600, 'USD', 'total', 1600, 1, now(), now(), now(), now(), true),"
              + "(1, 'b', 'sale', 'RTX 4090 b', 'rtx-4090', 1800, 'USD', 'total', 1800, 1, now(), now(), now(), now(), true),"
              + "(1, 'c', 'sale', 'RTX 4090 c', 'rtx-4090', 1900, 'USD', 'total', 1900, 1, now() - interval '10 days', now(), now(), now(), true),"
              + "(1, 'old', 'sale', 'RTX 4090 gone', 'rtx-4090', 100, 'USD', 'total', 100, 1, now(), now(), now(), now(), false),"
              + "(2, 'r1', 'rental', '1x RTX 4090', 'rtx-4090', 0.40, 'USD', 'hour', 0.40, 1, now(), now(), now(), now(), true),"
              + "(2, 'r2', 'rental', '2x RTX 4090', 'rtx-4090', 1.00, 'USD', 'hour', 1.00, 2, now(), now(), now(), now(), true),"
              + "(2, 'r4', 'rental', '4x RTX 4090', 'rtx-4090', 1.80, 'USD', 'hour', 1.80, 4, now(), now(), now(), now(), true)");
      // Listing c was first seen at 2000 ten days ago and dropped to 1900 three days ago.
      st.execute(
          "INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd) VALUES"
              + " (3, now() - interval '10 days', 2000, 'USD', 2000), (3, now() - interval '3 days', 1900, 'USD', 1900)");
    }
    server = ApiServer.start(db);
    vertx = server.vertx();
    client = server.client();
    port = server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<Buffer> get(String path) {
    return server.get(path);
  }

  @Test
  @DisplayName(
      "a model's market: sale min/median/p90, rental per GPU-hour, price per GB and TFLOP, break-even hours")
  void market() {
    JsonObject gpu = get("/api/gpus/rtx-4090").bodyAsJsonObject();
    assertThat(gpu.getString("name")).isEqualTo("GeForce RTX 4090");
    JsonObject m = gpu.getJsonObject("market");
    assertThat(m.getInteger("active_listings")).isEqualTo(6);
    assertThat(m.getJsonObject("sale"))
        .isEqualTo(
            new JsonObject()
                .put("listings", 3)
                .put("min", "1600.00")
                .put("median", "1800.00")
                .put("p90", "1880.00"));
    assertThat(m.getJsonObject("rental"))
        .isEqualTo(
            new JsonObject()
                .put("listings", 3)
                .put("min_per_gpu_hour", "0.4000")
                .put("median_per_gpu_hour", "0.4500"));
    assertThat(m.getString("price_per_gb_vram")).isEqualTo("75.00");
    assertThat(m.getString("price_per_fp32_tflop")).isEqualTo("21.80");
    assertThat(m.getString("buy_vs_rent_break_even_hours")).as("1800 / 0.45").isEqualTo("4000.0");
    assertThat(gpu.getString("perf_index")).isEqualTo("100.0");
    assertThat(m.getJsonObject("value"))
        .isEqualTo(
            new JsonObject().put("per_100_usd", "5.5556").put("per_usd_per_gpu_hour", "222.2222"));
  }

  @Test
  @DisplayName(
      "sort=value ranks models by performance per 100 USD of their median sale price and names its source")
  void valueOrder() {
    JsonObject body = get("/api/gpus?sort=value").bodyAsJsonObject();
    JsonArray items = body.getJsonArray("items");
    assertThat(items.getJsonObject(0).getString("slug"))
        .as("the only model with sales")
        .isEqualTo("rtx-4090");
    assertThat(
            items
                .getJsonObject(1)
                .getJsonObject("market")
                .getJsonObject("value")
                .getString("per_100_usd"))
        .isNull();
    assertThat(body.getJsonObject("perf_index_source").getString("source"))
        .contains("GPU Benchmarks Hierarchy");
    assertThat(body.getJsonObject("perf_index_source").getString("as_of")).matches("\\d{4}-\\d{2}");
    assertThat(get("/api/gpus?sort=cheapest").statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName(
      "the catalog lists every model, listed ones first; filters by vendor and by having listings")
  void catalog() {
    JsonArray all = get("/api/gpus").bodyAsJsonObject().getJsonArray("items");
    assertThat(all.size()).isGreaterThan(100);
    assertThat(all.getJsonObject(0).getString("slug")).isEqualTo("rtx-4090");
    JsonObject unlisted = all.getJsonObject(1).getJsonObject("market");
    assertThat(unlisted.getValue("buy_vs_rent_break_even_hours")).isNull();
    assertThat(get("/api/gpus?listed=true").bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    JsonArray amd = get("/api/gpus?vendor=amd").bodyAsJsonObject().getJsonArray("items");
    assertThat(amd).allMatch(o -> ((JsonObject) o).getString("vendor").equals("amd"));
    assertThat(get("/api/gpus/rtx-9999").statusCode()).isEqualTo(404);
    assertThat(get("/api/gpus?vendor=apple").statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("the price series counts each price in every bucket it held through")
  void history() {
    JsonObject h = get("/api/gpus/rtx-4090/history?bucket=day&days=14").bodyAsJsonObject();
    JsonArray sale = h.getJsonArray("sale");
    assertThat(sale.size()).as(sale.encodePrettily()).isBetween(10, 12);
    assertThat(sale.getJsonObject(0).getString("min")).isEqualTo("2000.0000");
    assertThat(sale.getJsonObject(sale.size() - 1).getString("min")).isEqualTo("1900.0000");
    assertThat(get("/api/gpus/rtx-4090/history?bucket=month").statusCode()).isEqualTo(400);
    assertThat(get("/api/gpus/rtx-4090/history?days=0").statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("a listing comes with its whole price history; an unknown id is a 404")
  void listingWithHistory() {
    JsonObject listing = get("/api/listings/3").bodyAsJsonObject();
    assertThat(listing.getString("external_id")).isEqualTo("c");
    assertThat(listing.getJsonArray("history"))
        .extracting(o -> ((JsonObject) o).getString("price"))
        .containsExactly("2000.00", "1900.00");
    assertThat(get("/api/listings/424242").statusCode()).isEqualTo(404);
    assertThat(get("/api/listings/x").statusCode()).isEqualTo(404);
  }
}
