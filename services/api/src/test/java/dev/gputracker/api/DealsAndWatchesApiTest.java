package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Deals (a sale's distance from its model's median, and the {@code deal} order), watches (any
 * search as an Atom feed, the live stream with a search's filters) and market figures that follow
 * the worker's commits, over a real PostgreSQL and real HTTP. The market cache's window is an hour
 * here, so only the invalidation can refresh it.
 */
class DealsAndWatchesApiTest {
  private static final String ATOM = "http://www.w3.org/2005/Atom";
  private static DatabaseUrl db;
  private static ApiServer server;

  /** Listing ids by external id. */
  private static final Map<String, Long> ids = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabases.fresh();
    sql(
        "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://shop/'),"
            + " ('cloud', 'demo-cloud', 'http://cloud/')");
    // RTX 4090 sales per GPU: 1000, 1200 (a pair at 2400), 1500, 2000: median 1350.
    listing("a", "sale", "ASUS RTX 4090 a", "rtx-4090", "1000", 1, 5 * 24);
    listing("pair", "sale", "Two RTX 4090", "rtx-4090", "2400", 2, 48);
    listing("c", "sale", "MSI RTX 4090 c", "rtx-4090", "1500", 1, 48);
    listing("d", "sale", "Gigabyte RTX 4090 d", "rtx-4090", "2000", 1, 48);
    // RX 7900 XTX: 800 and 1000, median 900.
    listing("x1", "sale", "Sapphire RX 7900 XTX", "rx-7900-xtx", "800", 1, 72);
    listing("x2", "sale", "PowerColor RX 7900 XTX", "rx-7900-xtx", "1000", 1, 72);
    listing("h1", "rental", "1x H100 SXM", "h100-sxm", "2.49", 1, 24);
    // An RTX 4080 seen for three hours only, an RTX 3090 since the run twenty minutes ago.
    listing("e1", "sale", "RTX 4080 e1", "rtx-4080", "1100", 1, 3);
    listing("n1", "sale", "RTX 3090 n1", "rtx-3090", "700", 1, 0);
    sql(
        "UPDATE listings SET first_seen_at = now() - interval '20 minutes' WHERE external_id = 'n1'");
    sql(
        "UPDATE price_history SET observed_at = now() - interval '20 minutes' WHERE listing_id = "
            + ids.get("n1"));
    // Listing a: first seen at 1100 five days ago, down to 1000 a day ago. x2 went up from 900: no
    // drop.
    sql(
        "UPDATE price_history SET price = 1100, price_usd = 1100 WHERE listing_id = "
            + ids.get("a"));
    sql(
        "INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd) VALUES ("
            + ids.get("a")
            + ", now() - interval '1 day', 1000, 'USD', 1000)");
    sql(
        "UPDATE price_history SET price = 900, price_usd = 900 WHERE listing_id = "
            + ids.get("x2"));
    sql(
        "INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd) VALUES ("
            + ids.get("x2")
            + ", now() - interval '2 days', 1000, 'USD', 1000)");
    // The market cache keeps its figures for an hour: only the outbox notification can refresh them
    // in a test.
    server = ApiServer.start(new ApiConfig(0, db, 4, 5_000, 10_000, List.of(), 0, 3600, 10, 15));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** An active listing first seen {@code hoursAgo}, with its first price in the history then. */
  private static void listing(
      String id, String kind, String title, String slug, String price, int gpus, int hoursAgo)
      throws Exception {
    String at = "now() - interval '" + hoursAgo + " hours'";
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      var rs =
          st.executeQuery(
              "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency,"
                  + " price_unit, price_usd, gpu_count, first_seen_at, last_seen_at, updated_at, price_changed_at) VALUES ("
                  + (kind.equals("sale") ? 1 : 2)
                  + ", '"
                  + id
                  + "', '"
                  + kind
                  + "', '"
                  + title
                  + "', '"
                  + slug
                  + "', "
                  + price
                  + ", 'USD', '"
                  + (kind.equals("sale") ? "total" : "hour")
                  + "', "
                  + price
                  + ", "
                  + gpus
                  + ", "
                  + at
                  + ", now(), now(), "
                  + at
                  + ") RETURNING id");
      rs.next();
      ids.put(id, rs.getLong(1));
    }
    sql(
        "INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd) VALUES ("
            + ids.get(id)
            + ", now() - interval '"
            + hoursAgo
            + " hours', "
            + price
            + ", 'USD', "
            + price
            + ")");
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static JsonArray items(String query) {
    HttpResponse<Buffer> r = server.get("/api/listings" + query);
    assertThat(r.statusCode()).as(query + ": " + r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonArray("items");
  }

  private static JsonObject byExternalId(JsonArray items, String externalId) {
    for (Object o : items) {
      if (((JsonObject) o).getString("external_id").equals(externalId)) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no listing " + externalId + " in " + items.encode());
  }

  @Test
  @DisplayName(
      "each sale shows its model's median per GPU and how far its own price per GPU is from it; rentals none")
  void dealFigures() {
    JsonArray all = items("?limit=200");
    assertThat(byExternalId(all, "a").getString("median_usd")).isEqualTo("1350.00");
    assertThat(byExternalId(all, "a").getString("vs_median_pct"))
        .as("(1000 - 1350) / 1350")
        .isEqualTo("-25.9");
    assertThat(byExternalId(all, "pair").getString("vs_median_pct"))
        .as("2400 for two: 1200 a GPU")
        .isEqualTo("-11.1");
    assertThat(byExternalId(all, "d").getString("vs_median_pct")).isEqualTo("48.1");
    assertThat(byExternalId(all, "x1").getString("vs_median_pct"))
        .as("800 against 900")
        .isEqualTo("-11.1");
    assertThat(byExternalId(all, "h1").getValue("vs_median_pct")).as("a rental").isNull();
    assertThat(byExternalId(all, "h1").getValue("median_usd")).isNull();
    assertThat(byExternalId(all, "e1").getString("vs_median_pct"))
        .as("alone at its median")
        .isEqualTo("0.0");
    // The model's card shows the same median.
    JsonObject card = server.get("/api/gpus/rtx-4090").bodyAsJsonObject();
    assertThat(card.getJsonObject("market").getJsonObject("sale").getString("median"))
        .isEqualTo("1350.00");
    // One listing alone says the same.
    JsonObject one = server.get("/api/listings/" + ids.get("a")).bodyAsJsonObject();
    assertThat(one.getString("vs_median_pct")).isEqualTo("-25.9");
    assertThat(one.getString("median_usd")).isEqualTo("1350.00");
    // And the CSV export, in either order.
    for (String sort : List.of("price", "deal")) {
      List<String> csv =
          server
              .client()
              .get(server.port(), "127.0.0.1", "/api/listings?gpu=rtx-4090&sort=" + sort)
              .putHeader("accept", "text/csv")
              .send()
              .await()
              .bodyAsString()
              .lines()
              .toList();
      assertThat(csv.get(0)).endsWith(",median_usd,vs_median_pct");
      assertThat(csv)
          .anySatisfy(line -> assertThat(line).contains(",a,sale,").endsWith(",1350.00,-25.9"));
    }
  }

  @Test
  @DisplayName(
      "sort=deal lists sales furthest below their median first, pages through all of them exactly once"
          + " with the figures every other order shows, and refuses rentals")
  void dealOrder() {
    Map<Long, String> shownElsewhere = new HashMap<>();
    for (Object o : items("?limit=200")) {
      JsonObject item = (JsonObject) o;
      shownElsewhere.put(item.getLong("id"), item.getString("vs_median_pct"));
    }
    List<JsonObject> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<Buffer> r =
          server.get(
              "/api/listings?sort=deal&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      JsonObject body = r.bodyAsJsonObject();
      body.getJsonArray("items").forEach(o -> paged.add((JsonObject) o));
      cursor = body.getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(paged)
        .extracting(o -> o.getString("external_id"))
        .containsExactly("a", "pair", "x1", "e1", "n1", "c", "x2", "d");
    assertThat(paged).extracting(o -> new BigDecimal(o.getString("vs_median_pct"))).isSorted();
    for (JsonObject item : paged) {
      assertThat(item.getString("vs_median_pct"))
          .as("listing " + item.getString("external_id"))
          .isEqualTo(shownElsewhere.get(item.getLong("id")));
    }
    assertThat(items("?sort=deal&gpu=rx-7900-xtx"))
        .extracting(o -> ((JsonObject) o).getString("external_id"))
        .containsExactly("x1", "x2");
    HttpResponse<Buffer> rentals = server.get("/api/listings?sort=deal&kind=rental");
    assertThat(rentals.statusCode()).isEqualTo(400);
    assertThat(rentals.bodyAsJsonObject().getString("detail")).contains("deal");
  }

  private static Document atom(String query) throws Exception {
    HttpResponse<Buffer> r = server.get("/api/listings/feed" + query);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).startsWith("application/atom+xml");
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc =
        factory.newDocumentBuilder().parse(new ByteArrayInputStream(r.body().getBytes()));
    // RFC 4287: a feed has exactly one id, title and updated, an author (here the feed's), and each
    // entry one id,
    // title, updated and a link; ids are unique and times are RFC 3339.
    Element feed = doc.getDocumentElement();
    assertThat(feed.getNamespaceURI()).isEqualTo(ATOM);
    assertThat(feed.getLocalName()).isEqualTo("feed");
    for (String required : List.of("id", "title", "updated", "author")) {
      assertThat(children(feed, required)).as("feed/" + required).hasSize(1);
    }
    OffsetDateTime.parse(text(feed, "updated"));
    assertThat(children(feed, "link"))
        .anySatisfy(l -> assertThat(l.getAttribute("rel")).isEqualTo("self"));
    Set<String> entryIds = new HashSet<>();
    for (Element entry : children(feed, "entry")) {
      for (String required : List.of("id", "title", "updated")) {
        assertThat(children(entry, required)).as("entry/" + required).hasSize(1);
      }
      OffsetDateTime.parse(text(entry, "updated"));
      assertThat(URI.create(text(entry, "id")).isAbsolute()).isTrue();
      assertThat(entryIds.add(text(entry, "id"))).as("unique entry id").isTrue();
      assertThat(children(entry, "link")).isNotEmpty();
    }
    return doc;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e
          && ATOM.equals(e.getNamespaceURI())
          && name.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    return children(parent, name).get(0).getTextContent();
  }

  private static List<String> titles(Document doc) {
    return children(doc.getDocumentElement(), "entry").stream().map(e -> text(e, "title")).toList();
  }

  @Test
  @DisplayName(
      "any search is a valid Atom feed of its new listings and price drops, newest first, filters honoured")
  void atomFeed() throws Exception {
    // Listing a: its drop a day ago, then its first sighting five days ago; nothing above the price
    // ceiling.
    assertThat(titles(atom("?gpu=rtx-4090&max_price=1100")))
        .containsExactly(
            "Price drop: ASUS RTX 4090 a — 1000.00 USD (was 1100.00 USD)",
            "New: ASUS RTX 4090 a — 1100.00 USD");
    // The RX 7900 XTX that went up has no drop entry; each was new once.
    List<String> rx = titles(atom("?gpu=rx-7900-xtx"));
    assertThat(rx)
        .hasSize(2)
        .allMatch(t -> t.startsWith("New: "))
        .noneMatch(t -> t.contains("RTX 4090"));
    // Full-text and kind filters are the search's own.
    assertThat(titles(atom("?q=sapphire&kind=sale")))
        .containsExactly("New: Sapphire RX 7900 XTX — 800.00 USD");
    assertThat(titles(atom("?kind=rental"))).containsExactly("New: 1x H100 SXM — 2.49 USD/hour");
    Document all = atom("");
    assertThat(titles(all)).hasSize(10);
    assertThat(text(all.getDocumentElement(), "title")).isEqualTo("GPU Tracker: all listings");
    // Behind a TLS-terminating proxy the feed's links use the reader's scheme.
    String proxied =
        server
            .client()
            .get(server.port(), "127.0.0.1", "/api/listings/feed?kind=rental")
            .putHeader("x-forwarded-proto", "https")
            .send()
            .await()
            .bodyAsString();
    assertThat(proxied)
        .contains("<id>https://127.0.0.1:" + server.port() + "/api/listings/feed?kind=rental</id>");
    // The search's own mistakes are the search's 400s.
    assertThat(server.get("/api/listings/feed?max_price=cheap").statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName(
      "the live stream takes a search's filters: only events of listings that match it arrive, in order")
  void filteredStream() throws Exception {
    try (SseClient sse =
        new SseClient(server.port(), "?gpu=rtx-4090&max_price=1600&kind=sale", null)) {
      assertThat(sse.status).isEqualTo(200);
      sse.awaitReady();
      emit("listing.price_changed", "d", "rtx-4090"); // 2000: above the ceiling
      emit("listing.price_changed", "a", "rtx-4090");
      emit("listing.price_changed", "x1", "rx-7900-xtx"); // another model
      emit("listing.removed", "c", "rtx-4090");
      emit("listing.price_changed", "pair", "rtx-4090"); // 2400 for the offer: above the ceiling
      assertThat(sse.events(2))
          .extracting(e -> e.data().getString("subject"))
          .containsExactly("listing/" + ids.get("a"), "listing/" + ids.get("c"));
      emit("listing.created", "e1", "rtx-4080");
      emit("listing.created", "c", "rtx-4090");
      assertThat(sse.events(1).get(0).data().getString("subject"))
          .isEqualTo("listing/" + ids.get("c"));
      assertThat(sse.received.stream().filter(o -> o instanceof SseClient.Event))
          .as("nothing more")
          .isEmpty();
    }
    assertThat(server.get("/api/events?min_price=abc").statusCode()).isEqualTo(400);
    assertThat(server.get("/api/events?active=false").statusCode())
        .as("not a stream filter")
        .isEqualTo(400);
  }

  private static void emit(String type, String listing, String gpu) throws Exception {
    long id = ids.get(listing);
    sql(
        "INSERT INTO outbox (type, source, subject, key, gpu, data) VALUES ('"
            + type
            + "', '/gpu-tracker/worker',"
            + " 'listing/"
            + id
            + "', 'listing-"
            + id
            + "', '"
            + gpu
            + "', '{\"listing_id\": "
            + id
            + "}')");
  }

  @Test
  @DisplayName(
      "a commit's changes show in /api/gpus as soon as its notification arrives, with an hour-long cache")
  void marketFollowsCommits() throws Exception {
    JsonObject before =
        server.get("/api/gpus/rx-7900-xtx").bodyAsJsonObject().getJsonObject("market");
    assertThat(before.getInteger("active_listings")).isEqualTo(2);
    int listed =
        server.get("/api/gpus").bodyAsJsonObject().getJsonArray("items").stream()
            .map(o -> (JsonObject) o)
            .filter(g -> g.getString("slug").equals("rx-7900-xtx"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("market")
            .getInteger("active_listings");
    assertThat(listed).isEqualTo(2);
    try (SseClient sse = new SseClient(server.port(), "?type=listing.created", null)) {
      sse.awaitReady();
      // As the worker does: the listing and its event in one transaction, whose commit sends the
      // notification.
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
          Statement st = c.createStatement()) {
        c.setAutoCommit(false);
        st.execute(
            "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
                + " price_usd, gpu_count, first_seen_at, last_seen_at, updated_at, price_changed_at) VALUES (1, 'x3', 'sale',"
                + " 'XFX RX 7900 XTX', 'rx-7900-xtx', 600, 'USD', 'total', 600, 1, now(), now(), now(), now())");
        st.execute(
            "INSERT INTO outbox (type, source, subject, key, gpu, data) SELECT 'listing.created',"
                + " '/gpu-tracker/worker', 'listing/' || id, 'listing-' || id, gpu_slug, jsonb_build_object('listing_id', id)"
                + " FROM listings WHERE external_id = 'x3'");
        c.commit();
      }
      sse.events(1);
    }
    JsonObject after =
        server.get("/api/gpus/rx-7900-xtx").bodyAsJsonObject().getJsonObject("market");
    assertThat(after.getInteger("active_listings")).isEqualTo(3);
    assertThat(after.getJsonObject("sale").getString("min")).isEqualTo("600.00");
    JsonObject inList =
        server.get("/api/gpus").bodyAsJsonObject().getJsonArray("items").stream()
            .map(o -> (JsonObject) o)
            .filter(g -> g.getString("slug").equals("rx-7900-xtx"))
            .findFirst()
            .orElseThrow();
    assertThat(inList.getJsonObject("market").getInteger("active_listings")).isEqualTo(3);
    sql("UPDATE listings SET active = false WHERE external_id = 'x3'");
  }

  @Test
  @DisplayName(
      "bucket=auto fits the history: minutes for a run minutes ago, hours for a few hours', days for days'")
  void historyBuckets() {
    JsonObject minutes =
        server.get("/api/gpus/rtx-3090/history?bucket=auto&days=180").bodyAsJsonObject();
    assertThat(minutes.getString("bucket")).isEqualTo("minute");
    assertThat(minutes.getJsonArray("sale").size()).isBetween(20, 22);
    assertThat(server.get("/api/gpus/rtx-3090/history?bucket=minute&days=2").statusCode())
        .isEqualTo(400);
    JsonObject young =
        server.get("/api/gpus/rtx-4080/history?bucket=auto&days=180").bodyAsJsonObject();
    assertThat(young.getString("bucket")).isEqualTo("hour");
    assertThat(young.getJsonArray("sale").size())
        .as("three hours: a trend already")
        .isGreaterThanOrEqualTo(3);
    JsonObject days =
        server.get("/api/gpus/rtx-4090/history?bucket=auto&days=180").bodyAsJsonObject();
    assertThat(days.getString("bucket")).isEqualTo("day");
    assertThat(days.getJsonArray("sale").size()).isBetween(5, 7);
    assertThat(server.get("/api/gpus/rtx-4090/history?bucket=hour&days=90").statusCode())
        .isEqualTo(400);
    assertThat(
            server
                .get("/api/gpus/rtx-4090/history?bucket=hour&days=2")
                .bodyAsJsonObject()
                .getJsonArray("sale")
                .size())
        .isBetween(48, 50);
  }
}
