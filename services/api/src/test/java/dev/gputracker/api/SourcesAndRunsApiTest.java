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
 * Sources, runs and rejected listings, over a real PostgreSQL seeded as the worker would leave it.
 */
class SourcesAndRunsApiTest {
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
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://shop/'),"
              + " ('idle', 'demo', 'http://idle/')");
      st.execute(
          "INSERT INTO sources (name, adapter, base_url, health, health_reason, health_changed_at) VALUES"
              + " ('drift', 'demo', 'http://drift/', 'suspect', 'listings read fell to 6 from a median of 30', now())");
      st.execute(
          "INSERT INTO scrape_runs (worker_id, mode, status, finished_at) VALUES ('w1', 'oneshot', 'succeeded', now()),"
              + " ('w1', 'daemon', 'partial', now()), ('w2', 'daemon', 'running', NULL), ('w1', 'oneshot', 'suspect', now())");
      st.execute(
          "INSERT INTO scrape_run_sources (run_id, source_id, status, pages, listings_seen, listings_read,"
              + " listings_priced, listings_normalised, pagination_depth, rejected_by_reason, health_reason, finished_at)"
              + " VALUES (4, 3, 'suspect', 3, 5, 6, 4, 5, 3, '{\"not_a_gpu\": 1}',"
              + " 'listings read fell to 6 from a median of 30', now())");
      st.execute(
          "INSERT INTO scrape_run_sources (run_id, source_id, status, pages, listings_seen, listings_new,"
              + " listings_rejected, errors, error_message, finished_at, duration_ms) VALUES"
              + " (1, 1, 'succeeded', 4, 88, 88, 5, 0, NULL, now(), 800),"
              + " (2, 1, 'failed', 2, 40, 0, 2, 1, 'HTTP 500', now() + interval '1 second', 900)");
      st.execute(
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
              + " first_seen_at, last_seen_at, updated_at, price_changed_at, active) VALUES"
              + " (1, 'a', 'sale', 'RTX 4090', 'rtx-4090', 1799, 'USD', 'total', now(), now(), now(), now(), true),"
              + " (1, 'b', 'sale', 'RTX 4080', 'rtx-4080', 999, 'USD', 'total', now(), now(), now(), now(), false)");
      st.execute(
          "INSERT INTO rejected_listings (source_id, external_id, title, reason, detail, first_seen_at,"
              + " last_seen_at) VALUES (1, 'x1', 'water block for 4090', 'not_a_gpu', 'water block', now(), now()),"
              + " (1, 'x2', 'riser for 3090', 'not_a_gpu', 'riser', now(), now()),"
              + " (1, 'x3', 'RTX 3090 box only', 'suspicious', 'box only', now(), now())");
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
      "/api/sources shows each source's listings, what it had rejected by reason, and its last run")
  void sources() {
    JsonArray items = get("/api/sources").bodyAsJsonObject().getJsonArray("items");
    assertThat(items).hasSize(3);
    JsonObject shop = items.getJsonObject(2);
    assertThat(shop.getString("name")).isEqualTo("shop");
    assertThat(shop.getJsonObject("listings"))
        .isEqualTo(new JsonObject().put("active", 1).put("total", 2));
    assertThat(shop.getJsonObject("rejected").getInteger("total")).isEqualTo(3);
    assertThat(shop.getJsonObject("rejected").getJsonObject("by_reason"))
        .isEqualTo(new JsonObject().put("not_a_gpu", 2).put("suspicious", 1));
    assertThat(shop.getJsonObject("last_run").getString("status")).isEqualTo("failed");
    assertThat(shop.getJsonObject("last_run").getString("error")).isEqualTo("HTTP 500");
    assertThat(items.getJsonObject(1).getValue("last_run")).isNull();
    assertThat(shop.getString("health"))
        .as("set by the worker; this seed left the default")
        .isEqualTo("never_run");
    assertThat(shop.getJsonObject("last_complete_run").getLong("run_id"))
        .as("run 2 failed: not complete")
        .isEqualTo(1L);
  }

  @Test
  @DisplayName(
      "/api/sources shows each source's health with its reason and the last complete run it was judged on")
  void sourceHealth() {
    JsonObject drift =
        get("/api/sources").bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
    assertThat(drift.getString("name")).isEqualTo("drift");
    assertThat(drift.getString("health")).isEqualTo("suspect");
    assertThat(drift.getString("health_reason"))
        .isEqualTo("listings read fell to 6 from a median of 30");
    assertThat(drift.getString("health_changed_at")).isNotNull();
    JsonObject complete = drift.getJsonObject("last_complete_run");
    assertThat(complete.getLong("run_id")).isEqualTo(4L);
    assertThat(complete.getString("status")).isEqualTo("suspect");
    assertThat(complete.getInteger("listings_read")).isEqualTo(6);
    assertThat(complete.getInteger("listings_priced")).isEqualTo(4);
    assertThat(complete.getInteger("pagination_depth")).isEqualTo(3);
    assertThat(
            get("/api/sources")
                .bodyAsJsonObject()
                .getJsonArray("items")
                .getJsonObject(1)
                .getValue("last_complete_run"))
        .as("never ran")
        .isNull();
  }

  @Test
  @DisplayName("/api/runs/{id} shows each source's yield figures and why it is suspect")
  void runFigures() {
    JsonObject drift =
        get("/api/runs/4").bodyAsJsonObject().getJsonArray("sources").getJsonObject(0);
    assertThat(drift.getString("status")).isEqualTo("suspect");
    assertThat(drift.getInteger("listings_read")).isEqualTo(6);
    assertThat(drift.getInteger("listings_priced")).isEqualTo(4);
    assertThat(drift.getInteger("listings_normalised")).isEqualTo(5);
    assertThat(drift.getInteger("pagination_depth")).isEqualTo(3);
    assertThat(drift.getJsonObject("rejected_by_reason"))
        .isEqualTo(new JsonObject().put("not_a_gpu", 1));
    assertThat(drift.getString("health_reason"))
        .isEqualTo("listings read fell to 6 from a median of 30");
  }

  @Test
  @DisplayName("/api/rejected filters by reason and pages newest first")
  void rejected() {
    JsonObject page = get("/api/rejected?reason=not_a_gpu&limit=1").bodyAsJsonObject();
    assertThat(page.getJsonArray("items")).hasSize(1);
    assertThat(page.getJsonArray("items").getJsonObject(0).getString("external_id"))
        .isEqualTo("x2");
    JsonObject next =
        get("/api/rejected?reason=not_a_gpu&limit=1&cursor=" + page.getString("next_cursor"))
            .bodyAsJsonObject();
    assertThat(next.getJsonArray("items").getJsonObject(0).getString("detail"))
        .isEqualTo("water block");
    assertThat(get("/api/rejected?reason=stolen").statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName(
      "/api/runs lists runs newest first with totals; /api/runs/{id} shows each source; unknown ids are 404")
  void runs() {
    JsonArray items = get("/api/runs").bodyAsJsonObject().getJsonArray("items");
    assertThat(items)
        .extracting(o -> ((JsonObject) o).getLong("id"))
        .containsExactly(4L, 3L, 2L, 1L);
    assertThat(items.getJsonObject(3).getInteger("listings_seen")).isEqualTo(88);
    JsonObject one = get("/api/runs/2").bodyAsJsonObject();
    assertThat(one.getString("status")).isEqualTo("partial");
    assertThat(one.getJsonArray("sources").getJsonObject(0).getString("error"))
        .isEqualTo("HTTP 500");
    assertThat(get("/api/runs/999").statusCode()).isEqualTo(404);
    assertThat(get("/api/runs/abc").statusCode()).isEqualTo(404);
    assertThat(get("/api/runs?limit=0").statusCode()).isEqualTo(400);
  }
}
