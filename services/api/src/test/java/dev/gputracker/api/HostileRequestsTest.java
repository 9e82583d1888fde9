package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.http.TrustedProxies;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each request that once hurt the API (issue 16's probe), as its own regression: a 4xx problem+json
 * with a request id, answered at once, and the API still healthy after it. Requests go over a raw
 * socket, as an attacker sends them.
 */
class HostileRequestsTest {
  private static DatabaseUrl db;
  private static ApiServer server;

  @BeforeAll
  static void start() {
    db = TestDatabases.fresh();
    server = ApiServer.start(db);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static RawHttp.Response send(String head) throws Exception {
    try (RawHttp http = new RawHttp(server.port(), 10_000)) {
      return http.send(head.getBytes(StandardCharsets.ISO_8859_1), head.startsWith("HEAD "));
    }
  }

  private static RawHttp.Response get(String target) throws Exception {
    return send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
  }

  /** A problem+json answer with this status, its status in the body and a request id. */
  private static JsonObject problem(RawHttp.Response r, int status) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.header("content-type")).isEqualTo("application/problem+json");
    JsonObject body = new JsonObject(r.text());
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("request_id")).matches("[0-9a-f]{1,16}");
    return body;
  }

  private static String cursor(Object... parts) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(new JsonArray(List.of(parts)).encode().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName(
      "a bad percent-encoding in the path is a 400 problem, not a plain-text 500 (/%zz, /%, /api/listings/%0)")
  void badEncoding() throws Exception {
    for (String target :
        new String[] {
          "/%zz", "/%", "/api/listings/%0", "/api/listings?min_price=%zz", "/api/listings?%zz=1"
        }) {
      assertThat(problem(get(target), 400).getString("detail"))
          .as(target)
          .contains("percent-encoded");
    }
  }

  @Test
  @DisplayName(
      "max_price=1e-999999999 (and min_price, min_vram) is a 400 at once, not a billion-character number")
  void hugeExponentInProcess() throws Exception {
    for (String p :
        new String[] {
          "max_price=1e-999999999",
          "min_price=1e-999999999",
          "min_vram=1e-999999999",
          "min_price=1e-16384",
          "max_price=1e1000000"
        }) {
      long start = System.nanoTime();
      JsonObject body = problem(get("/api/listings?" + p), 400);
      assertThat(body.getString("parameter")).isEqualTo(p.substring(0, p.indexOf('=')));
      assertThat((System.nanoTime() - start) / 1_000_000).as(p).isLessThan(1_000);
    }
  }

  @Test
  @DisplayName(
      "cursors carrying huge exponents, non-ASCII digits or dates PostgreSQL cannot store are 400s")
  void craftedCursors() throws Exception {
    String[][] cases = {
      {"price", cursor("price", "1e1000000", 1)},
      {"price", cursor("price", "1e-999999999", 1)},
      {"price", cursor("price", "\u0661\u0662", 1)},
      {"price", cursor("price", "-5", 1)},
      {"price", cursor("price", "5", "1")},
      {"price", cursor("price", "5", 1.5)},
      {"value", cursor("value", "NaN", 1)},
      {"-last_seen", cursor("-last_seen", "-4714-11-24T00:00:00Z", 1)},
      {"-last_seen", cursor("-last_seen", "+294277-01-01T00:00:00Z", 1)},
      {"-last_seen", cursor("-last_seen", "2026-12-01T20:35:44Z", -1)},
      {"first_seen", cursor("first_seen", "\u0662026-12-01T20:35:44Z", 1)},
    };
    for (String[] c : cases) {
      JsonObject body = problem(get("/api/listings?sort=" + c[0] + "&cursor=" + c[1]), 400);
      assertThat(body.getString("parameter")).as(c[1]).isEqualTo("cursor");
    }
    assertThat(get("/api/listings?sort=price&cursor=" + cursor("price", "1480.1800", 7)).status())
        .isEqualTo(200);
  }

  @Test
  @DisplayName(
      "numbers with non-ASCII digits, signs or out of range are 400s that say so, on every route")
  void numbers() throws Exception {
    String[][] cases = {
      {"/api/listings?limit=%D9%A1", "limit"}, {"/api/listings?gpu_count=99999999999", "gpu_count"},
      {"/api/jobs?limit=%2B5", "limit"}, {"/api/runs?cursor=%D9%A1", "cursor"},
      {"/api/rejected?limit=201", "limit"}, {"/api/gpus/rtx-4090/history?days=3651", "days"},
      {"/api/workers?limit=0", "limit"}, {"/api/listings?min_vram=5000", "min_vram"},
    };
    for (String[] c : cases) {
      assertThat(problem(get(c[0]), 400).getString("parameter")).as(c[0]).isEqualTo(c[1]);
    }
    assertThat(problem(get("/api/gpus/rtx-4090/history?days=3651"), 400).getString("detail"))
        .contains("out of range");
    assertThat(problem(get("/api/listings/%D9%A1"), 404).getString("detail"))
        .contains("no listing");
    assertThat(
            problem(
                    send("GET /api/events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: \u0661.1\r\n\r\n"),
                    400)
                .getString("parameter"))
        .isEqualTo("last_event_id");
  }

  @Test
  @DisplayName(
      "the HTTP layer's own answers carry problem+json: 414, 431, 400 for a bad request line, 505")
  void httpLayer() throws Exception {
    assertThat(problem(get("/" + "a".repeat(5000)), 414).getString("detail"))
        .contains("4096 bytes");
    assertThat(
            problem(
                    send(
                        "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: "
                            + "a".repeat(9000)
                            + "\r\n\r\n"),
                    431)
                .getString("detail"))
        .contains("8192 bytes");
    problem(send("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"), 400);
    problem(send("GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"), 400);
    problem(send("GET health HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
    for (String version : new String[] {"HTTP/2.5", "HTTP/1.2", "HTTP/9.9"}) {
      problem(send("GET /health " + version + "\r\nHost: x\r\n\r\n"), 505);
    }
    assertThat(get("/health").status()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "the HTTP limits come from configuration (HTTP_MAX_REQUEST_LINE_BYTES, HTTP_MAX_HEADER_BYTES)")
  void configuredLimits() throws Exception {
    ApiConfig config =
        ApiConfig.forTest(db).withHttp(new ApiConfig.Http(1024, 2048, TrustedProxies.NONE));
    try (ApiServer small = ApiServer.start(config);
        RawHttp http = new RawHttp(small.port(), 10_000)) {
      RawHttp.Response longLine =
          http.send(
              ("GET /" + "a".repeat(1100) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII),
              false);
      assertThat(longLine.status()).isEqualTo(414);
      assertThat(longLine.text()).contains("1024 bytes");
      RawHttp.Response bigHeaders =
          http.send(
              ("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(2100) + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII),
              false);
      assertThat(bigHeaders.status()).isEqualTo(431);
      assertThat(http.get("/health").status()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName(
      "a genuine bug (here: a database without the schema) is a 500 problem+json with the request id")
  void genuineBug() throws Exception {
    try (ApiServer broken = ApiServer.start(TestDatabases.freshUnmigrated());
        RawHttp http = new RawHttp(broken.port(), 10_000)) {
      RawHttp.Response r =
          http.send(
              ("GET /api/runs HTTP/1.1\r\nHost: x\r\nX-Request-Id: probe-42\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII),
              false);
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.header("content-type")).isEqualTo("application/problem+json");
      assertThat(new JsonObject(r.text()).getString("request_id")).isEqualTo("probe-42");
      assertThat(r.header("x-request-id")).isEqualTo("probe-42");
    }
  }

  @Test
  @DisplayName(
      "max_price=1e-999999999 with a normal heap (256 MB, its own JVM): 400 at once, memory unchanged")
  void hugeExponentNormalHeap() throws Exception {
    try (ApiChild api = ApiChild.start(db, Map.of());
        RawHttp http = new RawHttp(api.port(), 10_000)) {
      assertThat(http.get("/api/listings").status()).isEqualTo(200);
      long before = api.rssBytes();
      for (int i = 0; i < 20; i++) {
        long start = System.nanoTime();
        RawHttp.Response r = http.get("/api/listings?max_price=1e-999999999");
        assertThat(r.status()).isEqualTo(400);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
      }
      assertThat(http.get("/health").status()).isEqualTo(200);
      assertThat(api.rssBytes() - before).as("RSS growth in bytes").isLessThan(50L << 20);
    }
  }
}
