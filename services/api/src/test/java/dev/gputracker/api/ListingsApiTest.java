package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.http.TrustedProxies;
import dev.gputracker.api.listings.ListingColumns;
import dev.gputracker.api.listings.ListingsParams;
import dev.gputracker.api.listings.SearchStatements;
import dev.gputracker.api.server.HttpVerticle;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The API over a real PostgreSQL with seeded listings, called over real HTTP. */
class ListingsApiTest {
  private static DatabaseUrl db;
  private static ApiServer server;
  private static Vertx vertx;
  private static WebClient client;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabases.fresh();
    sql(
        "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://shop/'), ('cloud', 'demo-cloud', 'http://cloud/')");
    // 10 active RTX 4090 sales at 1000..1900 USD, 2 RX 7900 XTX, 1 removed, 3 H100 rentals, 1
    // unpriced.
    for (int i = 0; i < 10; i++) {
      listing(
          1,
          "s" + i,
          "sale",
          "ASUS TUF RTX 4090 #" + i,
          "rtx-4090",
          (1000 + i * 100) + ".00",
          "new",
          1,
          true,
          i);
    }
    listing(1, "x1", "sale", "Sapphire RX 7900 XTX", "rx-7900-xtx", "899.99", "used", 1, true, 20);
    listing(
        1,
        "x2",
        "sale",
        "PowerColor RX 7900 XTX 100% off",
        "rx-7900-xtx",
        "949.00",
        "new",
        1,
        true,
        21);
    listing(1, "gone", "sale", "MSI RTX 4090 sold", "rtx-4090", "1500.00", "new", 1, false, 22);
    listing(2, "h1", "rental", "8x H100 SXM 80GB", "h100-sxm", "19.92", "unknown", 8, true, 30);
    listing(2, "h2", "rental", "1x H100 SXM 80GB", "h100-sxm", "2.49", "unknown", 1, true, 31);
    listing(2, "h3", "rental", "2x H100 SXM 80GB", "h100-sxm", "5.10", "unknown", 2, true, 32);
    listing(1, "np", "sale", "ZOTAC RTX 4090 call for price", "rtx-4090", null, "new", 1, true, 40);
    // The worker stores the memory a title states ("24GB") when the page has no memory field of its
    // own.
    sql("UPDATE listings SET title = title || ' 24GB', vram_gb = 24 WHERE external_id = 's3'");
    server = ApiServer.start(db);
    vertx = server.vertx();
    client = server.client();
    port = server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void listing(
      int source,
      String id,
      String kind,
      String title,
      String slug,
      String price,
      String condition,
      int gpus,
      boolean active,
      int minutesAgo)
      throws Exception {
    String p = price == null ? "NULL" : price;
    sql(
        "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit, price_usd,"
            + " gpu_count, condition, location, first_seen_at, last_seen_at, active, removed_at, updated_at, price_changed_at)"
            + " VALUES ("
            + source
            + ", '"
            + id
            + "', '"
            + kind
            + "', '"
            + title
            + "', '"
            + slug
            + "', "
            + p
            + ", "
            + (price == null ? "NULL" : "'USD'")
            + ", '"
            + (kind.equals("sale") ? "total" : "hour")
            + "', "
            + p
            + ", "
            + gpus
            + ", '"
            + condition
            + "', 'US-CA', now() - interval '"
            + minutesAgo
            + " minutes', now() - interval '"
            + minutesAgo
            + " minutes', "
            + active
            + ", "
            + (active ? "NULL" : "now()")
            + ", now(), now())");
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static HttpResponse<Buffer> get(String pathAndQuery) {
    return server.get(pathAndQuery);
  }

  private static JsonArray items(String query) {
    HttpResponse<Buffer> r = get("/api/listings" + query);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonArray("items");
  }

  private static List<String> ids(JsonArray items) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      ids.add(items.getJsonObject(i).getString("external_id"));
    }
    return ids;
  }

  @Test
  @DisplayName("/health says the process is alive; /ready reports a connected database")
  void health() {
    HttpResponse<Buffer> r = get("/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "alive"));
    HttpResponse<Buffer> ready = get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("status", "ready").put("database", "connected"));
  }

  @Test
  @DisplayName(
      "listings default to active ones, most recently seen first, with money as decimal strings")
  void defaults() {
    JsonArray items = items("");
    assertThat(items).hasSize(16);
    assertThat(ids(items)).startsWith("s0", "s1").doesNotContain("gone");
    JsonObject first = items.getJsonObject(0);
    assertThat(first.getString("price")).as("in the currency's minor units").isEqualTo("1000.00");
    assertThat(first.getString("price_usd")).isEqualTo("1000.00");
    assertThat(first.getString("currency")).isEqualTo("USD");
    assertThat(first.getString("gpu")).isEqualTo("rtx-4090");
    assertThat(first.getString("vendor")).isEqualTo("nvidia");
    assertThat(first.getString("source")).isEqualTo("shop");
    assertThat(first.fieldNames())
        .contains("price_unit", "gpu_count", "condition", "first_seen_at", "url");
  }

  @Test
  @DisplayName(
      "a listing shows the memory stored from its title; one whose title and page state none shows null")
  void memoryFromTitle() {
    JsonObject s3 = items("?q=24GB").getJsonObject(0);
    assertThat(s3.getString("external_id")).isEqualTo("s3");
    assertThat(s3.getString("vram_gb")).isEqualTo("24.0");
    assertThat(items("?gpu=rx-7900-xtx").getJsonObject(0).getValue("vram_gb")).isNull();
  }

  @Test
  @DisplayName("each filter narrows the result as a user expects")
  void filters() {
    assertThat(ids(items("?gpu=rx-7900-xtx"))).containsExactlyInAnyOrder("x1", "x2");
    assertThat(ids(items("?gpu=rx-7900-xtx,h100-sxm"))).hasSize(5);
    assertThat(ids(items("?gpu=rx-7900-xtx&gpu=h100-sxm"))).hasSize(5);
    assertThat(ids(items("?vendor=amd"))).containsExactlyInAnyOrder("x1", "x2");
    assertThat(ids(items("?kind=rental"))).containsExactlyInAnyOrder("h1", "h2", "h3");
    assertThat(ids(items("?condition=used"))).containsExactly("x1");
    assertThat(ids(items("?source=cloud"))).hasSize(3);
    assertThat(ids(items("?kind=sale&min_price=1700&max_price=1800")))
        .containsExactlyInAnyOrder("s7", "s8");
    assertThat(ids(items("?gpu_count=8"))).containsExactly("h1");
    assertThat(ids(items("?min_vram=48"))).containsExactlyInAnyOrder("h1", "h2", "h3");
    assertThat(ids(items("?location=us-ca"))).hasSize(16);
    assertThat(ids(items("?q=100%25"))).as("full text: the token 100").containsExactly("x2");
    assertThat(ids(items("?q=tuf"))).hasSize(10);
    assertThat(ids(items("?q=%22RX%207900%22%20-powercolor")))
        .as("phrases and exclusions")
        .containsExactly("x1");
    assertThat(ids(items("?active=false"))).containsExactly("gone");
  }

  @Test
  @DisplayName(
      "every response carries a request id: the caller's when it is a sane token, else a new one; problems too")
  void requestIds() {
    HttpResponse<Buffer> own =
        client
            .get(port, "127.0.0.1", "/api/listings?kind=lease")
            .putHeader("x-request-id", "trace-42.a")
            .send()
            .await();
    assertThat(own.getHeader("x-request-id")).isEqualTo("trace-42.a");
    assertThat(own.bodyAsJsonObject().getString("request_id")).isEqualTo("trace-42.a");
    HttpResponse<Buffer> hostile =
        client
            .get(port, "127.0.0.1", "/api/listings")
            .putHeader("x-request-id", "<script>" + "x".repeat(100))
            .send()
            .await();
    assertThat(hostile.getHeader("x-request-id")).matches("[0-9a-f]{1,16}");
    assertThat(get("/health").getHeader("x-request-id")).isNotBlank();
  }

  @Test
  @DisplayName(
      "a listing in a search page has exactly the fields and values it has on its own route")
  void pageItemsMatchTheListingRoute() {
    for (JsonObject item :
        items("?sort=price&limit=200").stream().map(JsonObject.class::cast).toList()) {
      JsonObject alone = get("/api/listings/" + item.getLong("id")).bodyAsJsonObject();
      alone.remove("history");
      assertThat(item.fieldNames()).containsExactlyElementsOf(alone.fieldNames());
      assertThat(item).isEqualTo(alone);
    }
  }

  @Test
  @DisplayName(
      "a listing's JSON fields, the CSV header and cells and the search's select list follow ListingColumns, in its order")
  void fieldsFollowTheColumnList() {
    List<String> fields = ListingColumns.jsonFields();
    for (String search :
        List.of("?sort=price&limit=200", "?active=false", "?kind=sale&sort=deal")) {
      JsonArray page = items(search);
      assertThat(page).as(search).isNotEmpty();
      for (Object item : page) {
        assertThat(((JsonObject) item).fieldNames()).as(search).containsExactlyElementsOf(fields);
      }
    }
    JsonObject x1 = items("?gpu=rx-7900-xtx&sort=price").getJsonObject(0);
    List<String> alone =
        new ArrayList<>(get("/api/listings/" + x1.getLong("id")).bodyAsJsonObject().fieldNames());
    assertThat(alone).containsExactlyElementsOf(concat(fields, List.of("history")));

    List<String> csv =
        client
            .get(port, "127.0.0.1", "/api/listings?gpu=rx-7900-xtx&sort=price")
            .putHeader("accept", "text/csv")
            .send()
            .await()
            .bodyAsString()
            .lines()
            .toList();
    assertThat(csv.get(0)).isEqualTo(String.join(",", ListingColumns.csvHeader()));
    // The first row's cells are the JSON listing's values, field by field (x1 has no comma).
    List<String> cells = List.of(csv.get(1).split(",", -1));
    assertThat(cells).hasSameSizeAs(fields);
    for (int i = 0; i < fields.size(); i++) {
      Object value = x1.getValue(fields.get(i));
      assertThat(cells.get(i)).as(fields.get(i)).isEqualTo(value == null ? "" : value.toString());
    }

    String select = SearchStatements.of(MultiMap.caseInsensitiveMultiMap()).getKey();
    assertThat(select).startsWith("SELECT " + ListingColumns.selectList() + "\n");
    assertThat(ListingColumns.selectList())
        .startsWith("l.id, l.source_name AS source, ")
        .contains(", l.gpu_slug, ")
        .endsWith(", l.price_usd::text AS price_usd_key");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  @DisplayName(
      "per-GB, per-TFLOP and value orders rank by the figures each listing shows, and page with a cursor")
  void figureOrders() {
    // Another test may add a cheaper RTX 4090 ("late") meanwhile; these orders are checked without
    // it.
    Function<JsonArray, List<String>> withoutLate =
        items -> ids(items).stream().filter(id -> !id.equals("late")).toList();
    JsonArray perGb = items("?kind=sale&sort=price_per_gb&limit=4");
    assertThat(withoutLate.apply(perGb)).startsWith("x1", "x2", "s0");
    JsonObject x1 =
        perGb.stream()
            .map(JsonObject.class::cast)
            .filter(o -> o.getString("external_id").equals("x1"))
            .findFirst()
            .orElseThrow();
    assertThat(x1.getString("price_per_gb")).as("899.99 / 24 GB").isEqualTo("37.4996");
    assertThat(x1.getString("price_per_tflop")).as("899.99 / 61.39 TFLOPS").isEqualTo("14.6602");
    assertThat(x1.getString("perf_index")).isEqualTo("90.0");
    assertThat(x1.getString("value")).as("90 points per 100 USD of 899.99").isEqualTo("10.0001");
    assertThat(withoutLate.apply(items("?kind=sale&sort=price_per_tflop&limit=7")))
        .startsWith("s0", "s1", "s2", "x1", "x2", "s3");
    // Value without a kind ranks sales (rentals are per hour, another scale); best value first.
    assertThat(withoutLate.apply(items("?sort=value&limit=5"))).startsWith("x1", "s0", "x2", "s1");
    JsonArray rentals = items("?kind=rental&sort=price_per_gb");
    assertThat(ids(rentals))
        .as("h1: 19.92 / 8 GPUs / 80 GB ties h2, then id order")
        .containsExactly("h1", "h2", "h3");
    assertThat(items("?kind=rental&sort=value"))
        .as("no performance index for datacenter cards")
        .isEmpty();
    Set<String> seen = new HashSet<>();
    String cursor = null;
    do {
      JsonObject body =
          get("/api/listings?sort=value&limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
              .bodyAsJsonObject();
      for (String id : ids(body.getJsonArray("items"))) {
        assertThat(seen.add(id)).as("no listing twice: " + id).isTrue();
      }
      cursor = body.getString("next_cursor");
    } while (cursor != null);
    assertThat(seen).contains("x1", "x2", "s0", "s9").doesNotContain("np", "h1", "gone");
    assertThat(
            get("/api/listings?sort=price_per_gb&cursor="
                    + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("[\"value\",\"1\",1]".getBytes(StandardCharsets.UTF_8)))
                .statusCode())
        .as("a cursor of another order")
        .isEqualTo(400);
  }

  @Test
  @DisplayName(
      "price orders leave out unpriced listings and page with a cursor that survives inserts")
  void sortAndPagination() throws Exception {
    assertThat(ids(items("?gpu=rtx-4090&sort=price&limit=3"))).containsExactly("s0", "s1", "s2");
    assertThat(ids(items("?gpu=rtx-4090&sort=-price&limit=2"))).containsExactly("s9", "s8");
    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<Buffer> r =
          get(
              "/api/listings?gpu=rtx-4090&sort=price&limit=3"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      JsonObject body = r.bodyAsJsonObject();
      for (String id : ids(body.getJsonArray("items"))) {
        assertThat(seen.add(id)).as("no listing twice: " + id).isTrue();
        order.add(id);
      }
      cursor = body.getString("next_cursor");
      if (pages++ == 0) {
        // The worker inserts cheaper listings while the user pages: pages already read do not
        // shift.
        listing(1, "late", "sale", "Cheap RTX 4090", "rtx-4090", "999.00", "new", 1, true, 0);
      }
    } while (cursor != null);
    assertThat(order).containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9");
  }

  @Test
  @DisplayName(
      "bad parameters are 400 problem+json naming the parameter; unknown routes 404; other methods 405")
  void problems() {
    for (String[] c :
        new String[][] {
          {"?min_price=cheap", "min_price"},
          {"?limit=0", "limit"},
          {"?limit=201", "limit"},
          {"?kind=lease", "kind"},
          {"?sort=random", "sort"},
          {"?gpu=RTX%204090", "gpu"},
          {"?cursor=xyz", "cursor"},
          {"?active=maybe", "active"},
          {"?colour=red", "colour"},
          {"?min_price=10&max_price=5", "min_price"},
          {"?kind=sale&kind=rental", "kind"}
        }) {
      HttpResponse<Buffer> r = get("/api/listings" + c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(r.getHeader("content-type")).isEqualTo("application/problem+json");
      assertThat(r.bodyAsJsonObject().getString("parameter")).as(c[0]).isEqualTo(c[1]);
      assertThat(r.bodyAsJsonObject().getInteger("status")).isEqualTo(400);
    }
    HttpResponse<Buffer> missing = get("/api/nothing");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.getHeader("content-type")).isEqualTo("application/problem+json");
    HttpResponse<Buffer> post = client.post(port, "127.0.0.1", "/api/listings").send().await();
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.getHeader("allow")).isEqualTo("GET, HEAD");
  }

  @Test
  @DisplayName("thousands of random and hostile query strings never produce a 5xx")
  void hostileQueries() {
    Random random = new Random(7);
    String[] names = {
      "gpu",
      "vendor",
      "kind",
      "condition",
      "source",
      "min_price",
      "max_price",
      "min_vram",
      "gpu_count",
      "location",
      "q",
      "active",
      "sort",
      "limit",
      "cursor",
      "currency",
      "x",
      "bucket",
      "days",
      "listed",
      "reason",
      "type",
      "last_event_id"
    };
    // Every route but the live stream (which stays open; see EventsApiTest), with hostile path
    // segments too.
    String[] routes = {
      "/api/listings",
      "/api/listings/%s",
      "/api/gpus",
      "/api/gpus/%s",
      "/api/gpus/%s/history",
      "/api/sources",
      "/api/rejected",
      "/api/runs",
      "/api/runs/%s",
      "/api/listings"
    };
    String[] segments = {
      "1", "-1", "0", "abc", "rtx-4090", "9".repeat(30), "%2e%2e", "%00", "RTX%204090", "1.5"
    };
    String[] nasty = {
      "'; DROP TABLE listings; --",
      "1e999",
      "-1",
      "NaN",
      "\u0000",
      "%",
      "_",
      "\\",
      "9".repeat(400),
      "rtx-4090,,,,",
      "true\ntrue",
      "ÿÿÿ",
      "😀",
      "1 OR 1=1",
      "$1",
      "::numeric",
      "null",
      "",
      "1700",
      "0.5",
      "rtx-4090",
      "sale",
      "price",
      "-price",
      "-last_seen",
      "true",
      "false",
      "10",
      "amd",
      "used",
      "shop",
      "8"
    };
    for (int i = 0; i < 2000; i++) {
      StringBuilder q = new StringBuilder("?");
      int params = 1 + random.nextInt(4);
      for (int p = 0; p < params; p++) {
        String value =
            random.nextBoolean() ? nasty[random.nextInt(nasty.length)] : randomText(random);
        q.append(names[random.nextInt(names.length)])
            .append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8))
            .append('&');
      }
      String route = routes[random.nextInt(routes.length)];
      String path =
          route.contains("%s")
              ? String.format(route, segments[random.nextInt(segments.length)])
              : route;
      HttpResponse<Buffer> r = get(path + q);
      assertThat(r.statusCode()).as(path + q).isLessThan(500);
      assertThat(r.getHeader("content-type")).startsWith("application/");
    }
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  private static String randomText(Random random) {
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(30);
    for (int i = 0; i < n; i++) {
      b.append((char) (random.nextInt(0x2FF) + 1));
    }
    return b.toString();
  }

  @Test
  @DisplayName("the API's database sessions are read-only: a write through its pool fails")
  void readOnly() {
    Pool pool = ApiDatabase.pool(vertx, ApiConfig.forTest(db));
    Throwable err =
        pool.query("DELETE FROM listings")
            .execute()
            .transform(ar -> Future.succeededFuture(ar.cause()))
            .await();
    assertThat(err).isNotNull();
    assertThat(err.getMessage()).contains("read-only transaction");
    pool.close().await();
  }

  @Test
  @DisplayName(
      "/ready is 503 with a reason while the database is unreachable; /health stays 200 (no restart loop)")
  void healthDown() {
    Vertx other = Vertx.vertx();
    try {
      HttpVerticle api =
          new HttpVerticle(
              ApiConfig.forTest(
                  DatabaseUrl.parse("DATABASE_URL", "postgres://u:p@127.0.0.1:9/none")));
      other.deployVerticle(api).await();
      HttpResponse<Buffer> r =
          WebClient.create(other).get(api.actualPort(), "127.0.0.1", "/ready").send().await();
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("unready");
      assertThat(r.bodyAsJsonObject().getString("database")).isEqualTo("unreachable");
      assertThat(r.bodyAsJsonObject().getString("reason")).isNotBlank();
      assertThat(
              WebClient.create(other)
                  .get(api.actualPort(), "127.0.0.1", "/health")
                  .send()
                  .await()
                  .statusCode())
          .isEqualTo(200);
      HttpResponse<Buffer> listings =
          WebClient.create(other)
              .get(api.actualPort(), "127.0.0.1", "/api/listings")
              .send()
              .await();
      assertThat(listings.statusCode()).isEqualTo(503);
      assertThat(listings.getHeader("content-type")).isEqualTo("application/problem+json");
    } finally {
      other.close().await();
    }
  }

  @Test
  @DisplayName("/ serves the listing browser from the jar: the page, its script and its styles")
  void page() {
    HttpResponse<Buffer> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("content-type")).startsWith("text/html");
    assertThat(page.bodyAsString())
        .contains("<title>GPU Tracker</title>")
        .contains("src=\"/app.js\"");
    assertThat(get("/app.js").bodyAsString()).contains("/api/listings?");
    assertThat(get("/app.css").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("responses carry an ETag; a client holding that version gets 304 without a body")
  void etags() {
    HttpResponse<Buffer> first = get("/api/listings?gpu=rx-7900-xtx");
    String etag = first.getHeader("etag");
    assertThat(etag).startsWith("W/\"");
    HttpResponse<Buffer> again =
        client
            .get(port, "127.0.0.1", "/api/listings?gpu=rx-7900-xtx")
            .putHeader("if-none-match", etag)
            .send()
            .await();
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isNull();
    HttpResponse<Buffer> other =
        client
            .get(port, "127.0.0.1", "/api/listings?gpu=rtx-4090")
            .putHeader("if-none-match", etag)
            .send()
            .await();
    assertThat(other.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "a client over the per-minute limit gets 429 problem+json with Retry-After; others are unaffected")
  void rateLimit() {
    Vertx other = Vertx.vertx();
    try {
      // The test client is the trusted proxy here, so X-Forwarded-For tells clients apart (see
      // RateLimitProxiesTest).
      var proxies = TrustedProxies.parse("127.0.0.1/32");
      HttpVerticle api =
          new HttpVerticle(
              new ApiConfig(0, db, 2, 5000, 10000, List.of(), 3, 0, 10, 15)
                  .withHttp(new ApiConfig.Http(4096, 8192, proxies)));
      other.deployVerticle(api).await();
      WebClient c = WebClient.create(other);
      for (int i = 0; i < 3; i++) {
        assertThat(
                c.get(api.actualPort(), "127.0.0.1", "/api/listings")
                    .putHeader("x-forwarded-for", "203.0.113.7")
                    .send()
                    .await()
                    .statusCode())
            .isEqualTo(200);
      }
      HttpResponse<Buffer> limited =
          c.get(api.actualPort(), "127.0.0.1", "/api/listings")
              .putHeader("x-forwarded-for", "203.0.113.7")
              .send()
              .await();
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.getHeader("content-type")).isEqualTo("application/problem+json");
      assertThat(Integer.parseInt(limited.getHeader("retry-after"))).isBetween(1, 60);
      assertThat(
              c.get(api.actualPort(), "127.0.0.1", "/api/listings")
                  .putHeader("x-forwarded-for", "198.51.100.1")
                  .send()
                  .await()
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              c.get(api.actualPort(), "127.0.0.1", "/health")
                  .putHeader("x-forwarded-for", "203.0.113.7")
                  .send()
                  .await()
                  .statusCode())
          .as("health checks are never limited")
          .isEqualTo(200);
    } finally {
      other.close().await();
    }
  }

  @Test
  @DisplayName(
      "/openapi.json documents every route the router serves, and /docs renders it from the jar")
  void openApi() {
    JsonObject doc = get("/openapi.json").bodyAsJsonObject();
    assertThat(doc.getString("openapi")).isEqualTo("3.1.0");
    JsonObject paths = doc.getJsonObject("paths");
    for (String path :
        List.of(
            "/health",
            "/ready",
            "/api/listings",
            "/api/listings/feed",
            "/api/listings/{id}",
            "/api/gpus",
            "/api/gpus/{slug}",
            "/api/gpus/{slug}/history",
            "/api/sources",
            "/api/rejected",
            "/api/runs",
            "/api/runs/{id}",
            "/api/jobs",
            "/api/jobs/{id}",
            "/api/workers")) {
      assertThat(paths.containsKey(path)).as(path).isTrue();
      assertThat(get(path.replace("{id}", "1").replace("{slug}", "rtx-4090")).statusCode())
          .as(path)
          .isLessThan(500);
    }
    JsonArray listingParams =
        paths.getJsonObject("/api/listings").getJsonObject("get").getJsonArray("parameters");
    List<String> documented = new ArrayList<>();
    listingParams.forEach(p -> documented.add(((JsonObject) p).getString("name")));
    assertThat(documented)
        .as("every parameter the handler accepts is documented")
        .containsExactlyInAnyOrderElementsOf(ListingsParams.known());
    HttpResponse<Buffer> docs = get("/docs");
    assertThat(docs.statusCode()).isEqualTo(200);
    assertThat(docs.bodyAsString()).contains("/docs.js");
    assertThat(get("/docs.js").bodyAsString()).contains("/openapi.json");
  }

  @Test
  @DisplayName(
      "Accept: text/csv gives the same search as CSV (formula-safe); an unsupported Accept is a 406 problem")
  void csvAndNotAcceptable() {
    HttpResponse<Buffer> csv =
        client
            .get(port, "127.0.0.1", "/api/listings?gpu=rx-7900-xtx&sort=price")
            .putHeader("accept", "text/csv")
            .send()
            .await();
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.getHeader("content-type")).startsWith("text/csv");
    List<String> lines = csv.bodyAsString().lines().toList();
    assertThat(lines.get(0)).startsWith("id,source,external_id,kind,title,gpu");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).contains(",x1,sale,Sapphire RX 7900 XTX,rx-7900-xtx,amd,899.99,USD,");
    HttpResponse<Buffer> xml =
        client
            .get(port, "127.0.0.1", "/api/listings")
            .putHeader("accept", "application/xml")
            .send()
            .await();
    assertThat(xml.statusCode()).isEqualTo(406);
    assertThat(xml.getHeader("content-type")).isEqualTo("application/problem+json");
  }

  @Test
  @DisplayName(
      "currency=EUR also shows each USD price in euros at the latest stored rates; unknown rates give null")
  void displayCurrency() throws Exception {
    sql(
        "INSERT INTO exchange_rates (rate_date, currency, per_eur, source) VALUES"
            + " (current_date - 1, 'USD', 1.25, 'test'), (current_date, 'USD', 1.10, 'test'), (current_date, 'PLN', 4.40, 'test')");
    JsonObject x1 = items("?gpu=rx-7900-xtx&sort=price&currency=EUR").getJsonObject(0);
    assertThat(x1.getString("price")).as("the original stays").isEqualTo("899.99");
    assertThat(x1.getString("display_currency")).isEqualTo("EUR");
    assertThat(x1.getString("display_price")).as("899.99 / 1.10").isEqualTo("818.17");
    assertThat(
            items("?gpu=rx-7900-xtx&sort=price&currency=PLN")
                .getJsonObject(0)
                .getString("display_price"))
        .as("899.99 * 4.40 / 1.10")
        .isEqualTo("3599.96");
    assertThat(items("?gpu=rx-7900-xtx&currency=JPY").getJsonObject(0).getString("display_price"))
        .as("no stored JPY rate: the bundled rates convert, 899.99 * 163.06 / 1.0389")
        .isEqualTo("141257");
    assertThat(get("/api/listings?currency=euro").statusCode()).isEqualTo(400);
  }
}
