package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Laptops as a reject reason everywhere reasons are shown, and the catalog's gaps grouped from
 * unknown-model rejects, over a real PostgreSQL.
 */
class CatalogGapsApiTest {
  private static ApiServer server;
  private static DatabaseUrl db;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabases.fresh();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://shop/'),"
              + " ('olx', 'olx', 'http://olx/')");
      st.execute(
          "INSERT INTO rejected_listings (source_id, external_id, title, reason, detail, first_seen_at,"
              + " last_seen_at) VALUES"
              + " (1, 'c1', 'NVIDIA CMP 170HX 8GB', 'unknown_model', 'no catalog model for \"cmp 170 hx\"',"
              + "  now() - interval '2 days', now() - interval '2 days'),"
              + " (1, 'c2', 'CMP 170HX mining card', 'unknown_model', 'no catalog model for \"cmp 170 hx\"', now(), now()),"
              + " (2, 'c3', 'Видеокарта CMP 170HX', 'unknown_model', 'no catalog model for \"cmp 170 hx\"',"
              + "  now() - interval '1 day', now() - interval '1 day'),"
              + " (2, 'f1', 'FirePro W9100 32GB', 'unknown_model', 'no catalog model for \"w 9100\"', now(), now()),"
              + " (1, 'g1', 'Graphics card 8GB GDDR5', 'unknown_model',"
              + "  'no catalog model for a title without a model number', now(), now()),"
              + " (1, 'm1', 'RTX 3060 / 3060 Ti / 3070', 'unknown_model', 'names several models: rtx-3060', now(), now()),"
              + " (1, 'l1', 'Lenovo Legion 5 RTX 3060 laptop', 'laptop', 'lenovo legion', now(), now())");
    }
    server = ApiServer.start(db);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  @DisplayName(
      "/api/rejected/gaps groups unknown models by the words the normaliser could not place, most frequent first")
  void gaps() {
    JsonArray items = server.get("/api/rejected/gaps").bodyAsJsonObject().getJsonArray("items");
    assertThat(items).hasSize(3);
    JsonObject top = items.getJsonObject(0);
    assertThat(top.getString("words")).isEqualTo("cmp 170 hx");
    assertThat(top.getInteger("listings")).isEqualTo(3);
    assertThat(top.getInteger("sources")).isEqualTo(2);
    assertThat(top.getString("example")).isEqualTo("CMP 170HX mining card");
    assertThat(items.getJsonObject(1).getString("words")).isEqualTo("w 9100");
    assertThat(items.getJsonObject(2).getValue("words"))
        .as("titles without a model number")
        .isNull();
    JsonArray olx =
        server
            .get("/api/rejected/gaps?source=olx&limit=1")
            .bodyAsJsonObject()
            .getJsonArray("items");
    assertThat(olx).hasSize(1);
    assertThat(olx.getJsonObject(0).getInteger("listings")).isEqualTo(1);
    assertThat(server.get("/api/rejected/gaps?source=Not%20A%20Source").statusCode())
        .isEqualTo(400);
    assertThat(server.get("/api/rejected/gaps?reason=laptop").statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("laptops are a reject reason of their own in /api/rejected and /api/sources")
  void laptops() {
    JsonArray items =
        server.get("/api/rejected?reason=laptop").bodyAsJsonObject().getJsonArray("items");
    assertThat(items).hasSize(1);
    assertThat(items.getJsonObject(0).getString("detail")).isEqualTo("lenovo legion");
    JsonObject shop =
        server.get("/api/sources").bodyAsJsonObject().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(s -> s.getString("name").equals("shop"))
            .findFirst()
            .orElseThrow();
    assertThat(shop.getJsonObject("rejected").getJsonObject("by_reason").getInteger("laptop"))
        .isEqualTo(1);
  }

  @Test
  @DisplayName(
      "every reason the schema allows is one the API filters by, the OpenAPI lists, and the page names and"
          + " counts: laptops are shown like the others")
  void everyReasonEverywhere() throws Exception {
    Set<String> schema = new TreeSet<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                    + " WHERE conname = 'rejected_listings_reason_check'")) {
      assertThat(rs.next()).isTrue();
      var quoted = Pattern.compile("'([a-z_]+)'").matcher(rs.getString(1));
      while (quoted.find()) {
        schema.add(quoted.group(1));
      }
    }
    assertThat(schema).contains("laptop").hasSize(6);
    for (String reason : schema) {
      assertThat(server.get("/api/rejected?reason=" + reason).statusCode())
          .as(reason)
          .isEqualTo(200);
    }
    JsonObject openapi = new JsonObject(resource("/openapi.json"));
    JsonArray rejectedParams =
        openapi
            .getJsonObject("paths")
            .getJsonObject("/api/rejected")
            .getJsonObject("get")
            .getJsonArray("parameters");
    JsonArray documented =
        rejectedParams.stream()
            .map(JsonObject.class::cast)
            .filter(p -> p.getString("name").equals("reason"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("schema")
            .getJsonArray("enum");
    assertThat(documented.getList()).containsExactlyInAnyOrderElementsOf(schema);
    // The page's own table of reasons (label per reason): the chooser offers and counts each of
    // them.
    String app = resource("/webroot/app.js");
    String table =
        app.substring(
            app.indexOf("const REASONS = {"), app.indexOf("};", app.indexOf("const REASONS = {")));
    Set<String> page = new TreeSet<>();
    var keys = Pattern.compile("\\n\\s+([a-z_]+): '").matcher(table);
    while (keys.find()) {
      page.add(keys.group(1));
    }
    assertThat(page).isEqualTo(schema);
  }

  private static String resource(String path) throws IOException {
    try (var in = CatalogGapsApiTest.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
