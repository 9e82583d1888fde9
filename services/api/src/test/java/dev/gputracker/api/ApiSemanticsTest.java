package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What the listing search means, as a first-hour user meets it: price orders never mix cards with
 * hourly rentals, prices are written as shops write them, and any currency the ECB publishes can be
 * shown, with the rates used named, even before the worker has stored any.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiSemanticsTest {
  private static DatabaseUrl db;
  private static ApiServer server;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabases.fresh();
    sql("INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://shop/')");
    listing("usd", "sale", "244.99", "USD", "244.99", 1);
    listing("jpy", "sale", "35000", "JPY", "214.65", 2);
    listing("fine", "rental", "0.3125", "USD", "0.3125", 3);
    listing("round", "rental", "0.4", "USD", "0.4", 4);
    server = ApiServer.start(db);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void listing(
      String id, String kind, String price, String currency, String usd, int minutesAgo)
      throws Exception {
    sql(
        "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit, price_usd,"
            + " gpu_count, condition, first_seen_at, last_seen_at, active, updated_at, price_changed_at) VALUES (1, '"
            + id
            + "', '"
            + kind
            + "', 'RTX 4090 "
            + id
            + "', 'rtx-4090', "
            + price
            + ", '"
            + currency
            + "', '"
            + (kind.equals("sale") ? "total" : "hour")
            + "', "
            + usd
            + ", 1, 'new', now() - interval '"
            + minutesAgo
            + " minutes', now() - interval '"
            + minutesAgo
            + " minutes', true, now(), now())");
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static JsonObject page(String query) {
    HttpResponse<Buffer> r = server.get("/api/listings" + query);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static JsonObject byId(JsonArray items, String id) {
    return items.stream()
        .map(JsonObject.class::cast)
        .filter(l -> id.equals(l.getString("external_id")))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("external_id"))
        .toList();
  }

  @Test
  @Order(1)
  @DisplayName(
      "prices come in their currency's decimals; hourly rentals keep the precision their source gave")
  void decimals() {
    JsonArray items = page("?limit=10").getJsonArray("items");
    assertThat(byId(items, "usd").getString("price")).isEqualTo("244.99");
    assertThat(byId(items, "jpy").getString("price"))
        .as("yen have no minor unit")
        .isEqualTo("35000");
    assertThat(byId(items, "jpy").getString("price_usd")).isEqualTo("214.65");
    assertThat(byId(items, "fine").getString("price")).isEqualTo("0.3125");
    assertThat(byId(items, "round").getString("price"))
        .as("never fewer decimals than the currency's")
        .isEqualTo("0.40");
  }

  @Test
  @Order(2)
  @DisplayName(
      "price orders rank sales unless kind says otherwise: no $/hour rental ahead of the cards")
  void priceOrdersNeverMixKinds() {
    assertThat(ids(page("?sort=price"))).containsExactly("jpy", "usd");
    assertThat(ids(page("?sort=-price"))).containsExactly("usd", "jpy");
    assertThat(ids(page("?sort=price_per_gb"))).containsExactly("jpy", "usd");
    assertThat(ids(page("?sort=price&kind=rental"))).containsExactly("fine", "round");
    assertThat(ids(page("?limit=10"))).as("the default order shows both").hasSize(4);
  }

  @Test
  @Order(3)
  @DisplayName(
      "with no rates stored, the bundled ECB rates convert and the page says so; codes in any case")
  void bundledRates() {
    JsonObject eur = page("?sort=price&currency=eur");
    assertThat(eur.getJsonObject("rates"))
        .isEqualTo(
            new JsonObject()
                .put("currency", "EUR")
                .put("source", "bundled")
                .put("date", "2024-12-31"));
    assertThat(byId(eur.getJsonArray("items"), "usd").getString("display_price"))
        .as("244.99 / 1.0389")
        .isEqualTo("235.82");
    assertThat(byId(eur.getJsonArray("items"), "usd").getString("display_currency"))
        .isEqualTo("EUR");
    JsonObject yen = page("?sort=price&currency=Jpy");
    assertThat(byId(yen.getJsonArray("items"), "usd").getString("display_price"))
        .as("244.99 * 163.06 / 1.0389")
        .isEqualTo("38452");
  }

  @Test
  @Order(4)
  @DisplayName("an unknown currency is a 400 naming it; a number out of range says so")
  void refusals() {
    HttpResponse<Buffer> xyz = server.get("/api/listings?currency=XYZ");
    assertThat(xyz.statusCode()).isEqualTo(400);
    assertThat(xyz.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(xyz.bodyAsJsonObject().getString("detail")).contains("XYZ").contains("EUR");
    assertThat(server.get("/api/listings?currency=euro").statusCode()).isEqualTo(400);
    HttpResponse<Buffer> huge = server.get("/api/listings?max_price=1e20");
    assertThat(huge.statusCode()).isEqualTo(400);
    assertThat(huge.bodyAsJsonObject().getString("detail"))
        .contains("max_price")
        .contains("out of range");
  }

  @Test
  @Order(5)
  @DisplayName("once the worker has stored ECB rates they are used, and the page names their date")
  void storedRates() throws Exception {
    sql(
        "INSERT INTO exchange_rates (rate_date, currency, per_eur, source) VALUES"
            + " ('2026-12-01', 'USD', 1.25, 'test'), ('2026-12-01', 'PLN', 5.00, 'test')");
    JsonObject pln = page("?sort=price&currency=PLN");
    assertThat(pln.getJsonObject("rates"))
        .isEqualTo(
            new JsonObject().put("currency", "PLN").put("source", "ecb").put("date", "2026-12-01"));
    assertThat(byId(pln.getJsonArray("items"), "usd").getString("display_price"))
        .as("244.99 * 5 / 1.25")
        .isEqualTo("979.96");
    JsonObject gbp = page("?sort=price&currency=GBP");
    assertThat(gbp.getJsonObject("rates").getString("source"))
        .as("no stored GBP rate: the bundled ones, whole")
        .isEqualTo("bundled");
  }
}
