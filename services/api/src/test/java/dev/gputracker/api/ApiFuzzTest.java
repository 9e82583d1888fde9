package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A seeded fuzz of the real API (its own JVM with a 256 MB heap, as shipped) over a real
 * PostgreSQL: 20,000 requests across every route with random and hostile names, values, cursors,
 * paths, methods, versions and headers, sent over raw sockets. None may be a 5xx or lose its
 * connection without an answer, every 4xx is problem+json with its request id, the process's memory
 * stays within 50 MB of what it was before, and a /health probe on a connection of its own is
 * answered in under 200 ms (the API's own time, from its Server-Timing header: 99 % of probes,
 * every one within 1 s; the round trip, which also holds the scheduling of a 2-core machine shared
 * with other builds, within 2 s). The only 5xx allowed is the 505 that issue 16 asks for when a
 * request names an HTTP version other than 1.0 and 1.1.
 */
class ApiFuzzTest {
  private static final Logger LOG = LoggerFactory.getLogger(ApiFuzzTest.class);
  private static final int REQUESTS = 20_000;
  private static final int CLIENTS = 4;

  /** 2.5 ms a request: 20,000 in about 50 s. */
  private static final long PACE_NANOS = 2_500_000;

  private static final long SEED = 16;

  private static final String[] ROUTES = {
    "/api/listings",
    "/api/listings",
    "/api/listings",
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
    "/api/workers",
    "/api/events",
    "/health",
    "/ready",
    "/metrics",
    "/openapi.json",
    "/docs",
    "/",
    "/app.js",
    "/favicon.svg",
    "/api/nothing",
    "/{seg}",
    "/api/{seg}"
  };
  private static final String[] NAMES = {
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
    "bucket",
    "days",
    "listed",
    "reason",
    "type",
    "last_event_id",
    "state",
    "status",
    "x",
    "",
    "limit[]",
    "%zz",
    "\u0000",
    "a".repeat(300),
    "cursor%00",
    "\u0661",
    "sort.",
    "__proto__"
  };
  private static final String[] NUMBERS = {
    "1e-999999999",
    "1e1000000",
    "1e-16384",
    "-0",
    "0",
    "00000",
    "1",
    "5",
    "200",
    "201",
    "3650",
    "3651",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999999",
    "\u0661\u0662",
    "\uff15",
    "+5",
    "-5",
    " 5",
    "1_000",
    "0x10",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e",
    ".5",
    "5.",
    "499.99",
    "0.00001",
    "1E20",
    "1e21",
    "2.5E+1",
    "1,5",
    "1e-99",
    "1000000000",
    "1000000000.0001",
    "4096",
    "4097",
    "1024",
    "1025",
    "-1",
    "1.5",
    "1e308",
    "4.9e-324",
    "٣",
    "१२",
    "１２"
  };
  private static final String[] WORDS = {
    "rtx-4090",
    "h100-sxm",
    "rx-7900-xtx",
    "nvidia",
    "amd",
    "intel",
    "sale",
    "rental",
    "new",
    "used",
    "price",
    "-price",
    "price_per_gb",
    "price_per_tflop",
    "value",
    "first_seen",
    "-first_seen",
    "-last_seen",
    "true",
    "false",
    "day",
    "week",
    "listings",
    "EUR",
    "USD",
    "usd",
    "queued",
    "active",
    "not_a_gpu",
    "listing.created",
    "shop",
    "'; DROP TABLE listings; --",
    "$1",
    "::numeric",
    "null",
    "%",
    "_",
    "\\",
    "😀",
    "ÿÿÿ",
    "\u202e",
    "\ud800",
    "true\ntrue",
    "a".repeat(1000),
    "rtx-4090,,,,",
    "\"quoted phrase\" -x",
    "*",
    "1 OR 1=1",
    "US-CA",
    ""
  };
  private static final String[] SORTS = {
    "price",
    "-price",
    "price_per_gb",
    "price_per_tflop",
    "value",
    "first_seen",
    "-first_seen",
    "-last_seen"
  };
  private static final String[] KEYS = {
    "1e1000000",
    "1e-999999999",
    "\u0661\u0662",
    "-1",
    "1480.1800",
    "0",
    "NaN",
    "9".repeat(40),
    "1e20",
    "0.123456789",
    "-4714-11-24T00:00:00Z",
    "+294277-01-01T00:00:00Z",
    "2026-12-01T20:35:44.90082Z",
    "2026-12-01T20:35:44+02:00",
    "0000-01-01T00:00:00Z",
    "2026-13-45T99:99:99Z",
    "\u0662026-12-01T00:00:00Z",
    "",
    "x".repeat(500)
  };
  private static final String[] SEGMENTS = {
    "1",
    "2",
    "-1",
    "0",
    "abc",
    "rtx-4090",
    "9".repeat(30),
    "%2e%2e",
    "%00",
    "RTX%204090",
    "1.5",
    "%D9%A1",
    "%zz",
    "%",
    "%0",
    "..",
    "%2F",
    "a%2Fb",
    "%C0%AF",
    "%E2%80%AE",
    "1e5",
    "+1",
    "9223372036854775808",
    "x".repeat(300),
    "%FF%FE",
    ";",
    "'"
  };
  private static final String[] METHODS = {
    "GET",
    "GET",
    "GET",
    "GET",
    "GET",
    "GET",
    "GET",
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "OPTIONS",
    "PATCH",
    "TRACE",
    "BREW",
    "get",
    "G\u00c9T",
    "CONNECT"
  };
  private static final String[] VERSIONS = {
    "HTTP/1.1",
    "HTTP/1.1",
    "HTTP/1.1",
    "HTTP/1.1",
    "HTTP/1.1",
    "HTTP/1.1",
    "HTTP/1.1",
    "HTTP/1.1",
    "HTTP/1.0",
    "HTTP/2.0",
    "HTTP/9.9",
    "HTTP/1.2",
    "FOO/1.1",
    "HTTP/1.1 extra",
    "HTTP/1"
  };
  private static final String[] ACCEPTS = {
    "application/json",
    "text/csv",
    "*/*",
    "text/html",
    "image/png",
    "text/csv;q=2, application/json;q=0.1",
    ";;;",
    "application/problem+json",
    "text/event-stream",
    "\u00ff/\u00ff"
  };

  /** One failed expectation, with the request that caused it. */
  record Finding(String request, String what) {}

  @Test
  @DisplayName(
      "20,000 seeded hostile requests: no 5xx, no dropped connection, 4xx as problem+json, memory and"
          + " /health steady")
  void fuzz() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    seed(db);
    try (ApiChild api =
        ApiChild.start(
            db, Map.of("SSE_HEARTBEAT_SECONDS", "1"), "-Xms256m", "-XX:+AlwaysPreTouch")) {
      warmUp(api.port());
      long rssBefore = api.rssBytes();
      ConcurrentLinkedQueue<Finding> findings = new ConcurrentLinkedQueue<>();
      AtomicInteger sent = new AtomicInteger();
      AtomicInteger byClass[] = {
        new AtomicInteger(),
        new AtomicInteger(),
        new AtomicInteger(),
        new AtomicInteger(),
        new AtomicInteger(),
        new AtomicInteger()
      };
      AtomicInteger versions = new AtomicInteger();
      AtomicBoolean fuzzing = new AtomicBoolean(true);
      List<Long> probes = Collections.synchronizedList(new ArrayList<>());
      AtomicLong probeClientMax = new AtomicLong();
      Thread probe =
          new Thread(
              () -> probeHealth(api.port(), fuzzing, probes, probeClientMax, findings),
              "health-probe");
      probe.start();
      long start = System.nanoTime();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        Random random = new Random(SEED * 1000 + c);
        Thread t =
            new Thread(
                () -> {
                  RawHttp http = new RawHttp(api.port(), 15_000);
                  for (int n = sent.getAndIncrement(); n < REQUESTS; n = sent.getAndIncrement()) {
                    // The pace: one request per slot, about 400 a second, leaving the machine room
                    // to answer /health.
                    long slot = start + n * PACE_NANOS;
                    while (System.nanoTime() < slot) {
                      LockSupport.parkNanos(slot - System.nanoTime());
                    }
                    Request r = request(random);
                    try {
                      RawHttp.Response answer = http.send(r.bytes(), r.head());
                      byClass[Math.min(answer.status() / 100, 5)].incrementAndGet();
                      if (answer.status() == 505) {
                        versions.incrementAndGet();
                      }
                      check(r, answer, findings);
                    } catch (IOException e) {
                      findings.add(new Finding(r.describe(), "no answer: " + e));
                      http = new RawHttp(api.port(), 15_000);
                    }
                  }
                  http.close();
                },
                "fuzz-" + c);
        t.start();
        clients.add(t);
      }
      for (Thread t : clients) {
        t.join();
      }
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      fuzzing.set(false);
      probe.join();
      try (RawHttp http = new RawHttp(api.port(), 10_000)) {
        assertThat(http.get("/health").status()).isEqualTo(200);
      }
      long rssAfter = api.rssBytes();
      long maxProbe = probes.stream().mapToLong(Long::longValue).max().orElse(-1);
      List<Long> sorted = new ArrayList<>(probes);
      Collections.sort(sorted);
      LOG.info(
          "fuzz: {} requests in {} s ({} 2xx, {} 3xx, {} 4xx, {} 5xx), {} findings; RSS {} MB before, {} MB"
              + " after ({} MB); /health probes {}, in the API: p50 {} ms, p99 {} ms, max {} ms; round trip max {} ms",
          REQUESTS,
          seconds,
          byClass[2],
          byClass[3],
          byClass[4],
          byClass[5] + " (" + versions + " of them 505 for unknown HTTP versions)",
          findings.size(),
          rssBefore >> 20,
          rssAfter >> 20,
          (rssAfter - rssBefore) >> 20,
          sorted.size(),
          sorted.get(sorted.size() / 2) / 1000.0,
          sorted.get(sorted.size() * 99 / 100) / 1000.0,
          maxProbe / 1000.0,
          probeClientMax.get() / 1000.0);
      assertThat(findings)
          .as("findings (first 20): %s", findings.stream().limit(20).toList())
          .isEmpty();
      assertThat(byClass[2].get())
          .as("the fuzz also reaches real answers")
          .isGreaterThan(REQUESTS / 20);
      assertThat(rssAfter - rssBefore).as("RSS growth in bytes").isLessThan(50L << 20);
      assertThat(sorted).as("/health probes").hasSizeGreaterThan(10);
      // The API's own time for a probe (Server-Timing) stays under 200 ms. On the 2-core build
      // machine, shared with
      // other builds (load averages of 12-14 were seen), the API and PostgreSQL are at times not
      // scheduled at all for
      // a few hundred ms, so the bound holds for 99 % of probes and every probe stays under 1 s
      // inside the API and
      // 2 s round trip: bounds only a stalled API breaks (the stall this issue found blocked an
      // event loop 12-19 s).
      assertThat(sorted.get(sorted.size() * 99 / 100))
          .as("99th percentile of /health inside the API, microseconds")
          .isLessThan(200_000);
      assertThat(maxProbe)
          .as("slowest /health probe inside the API, in microseconds")
          .isLessThan(1_000_000);
      assertThat(probeClientMax.get())
          .as("slowest /health round trip, in microseconds")
          .isLessThan(2_000_000);
    }
  }

  /** A request as bytes, and what it was for a report. */
  record Request(
      String method,
      String target,
      String version,
      List<String> headers,
      byte[] bytes,
      boolean head) {
    String describe() {
      String t = target.length() > 200 ? target.substring(0, 200) + "…" : target;
      return method
          + " "
          + t
          + " "
          + version
          + " "
          + headers.stream().map(h -> h.length() > 80 ? h.substring(0, 80) + "…" : h).toList();
    }
  }

  private static Request request(Random random) {
    String method = pick(random, METHODS);
    String version = pick(random, VERSIONS);
    String route = pick(random, ROUTES);
    String path =
        route
            .replace(
                "{id}",
                random.nextInt(3) == 0
                    ? Integer.toString(1 + random.nextInt(400))
                    : pick(random, SEGMENTS))
            .replace(
                "{slug}",
                random.nextBoolean()
                    ? pick(random, new String[] {"rtx-4090", "h100-sxm", "rx-7900-xtx"})
                    : pick(random, SEGMENTS))
            .replace("{seg}", pick(random, SEGMENTS));
    StringBuilder target = new StringBuilder(path);
    int params = random.nextInt(5);
    for (int p = 0; p < params; p++) {
      target.append(p == 0 ? '?' : '&');
      String name = random.nextInt(5) == 0 ? pick(random, NAMES) : pick(random, NAMES);
      String value = value(random, name);
      int encoding = random.nextInt(10);
      if (encoding == 0) {
        target.append(name).append('=').append(value); // raw: spaces, %, unicode and all
      } else if (encoding == 1) {
        target.append(name); // a name without a value
      } else {
        target
            .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    if (random.nextInt(200) == 0) {
      target.append("&pad=").append("a".repeat(5000)); // past the request-line limit: 414
    }
    List<String> headers = new ArrayList<>();
    if (random.nextInt(20) != 0) {
      headers.add("Host: localhost");
    }
    if (random.nextInt(3) == 0) {
      headers.add("Accept: " + pick(random, ACCEPTS));
    }
    if (random.nextInt(4) == 0) {
      headers.add(
          "X-Forwarded-For: "
              + pick(
                  random,
                  new String[] {
                    "198.51.100.7",
                    "1.2.3.4, 10.0.0.1",
                    "not-an-ip",
                    "::1",
                    "[::1]:80",
                    "999.999.999.999",
                    "",
                    "1.1.1.1,".repeat(200)
                  }));
    }
    if (random.nextInt(5) == 0) {
      headers.add(
          "X-Request-Id: "
              + pick(random, new String[] {"abc-123", "x".repeat(100), "a b", "☃", "", "$(id)"}));
    }
    if (random.nextInt(8) == 0) {
      headers.add(
          "If-None-Match: "
              + pick(
                  random, new String[] {"*", "W/\"1f-4cb23481\"", "\"", ",,,", "x".repeat(500)}));
    }
    if (random.nextInt(8) == 0) {
      headers.add(
          "Last-Event-ID: "
              + pick(
                  random,
                  new String[] {
                    "1.1",
                    "0.0",
                    "\u0661.1",
                    "-1.5",
                    "1e5.1",
                    "x",
                    "9223372036854775808.1",
                    "1.",
                    ".1",
                    "1.2.3"
                  }));
    }
    if (random.nextInt(10) == 0) {
      headers.add(
          "Accept-Encoding: "
              + pick(random, new String[] {"gzip", "br", "deflate, gzip;q=0", "x", "*"}));
    }
    if (random.nextInt(15) == 0) {
      headers.add("Origin: " + pick(random, new String[] {"http://evil.example", "null", "*"}));
    }
    byte[] body = new byte[0];
    int framing = random.nextInt(40);
    if (framing == 0) {
      headers.add(
          "Content-Length: "
              + pick(random, new String[] {"abc", "-1", "99999999999999999999", "1, 2"}));
    } else if (framing == 1) {
      body = "hello".getBytes(StandardCharsets.US_ASCII);
      headers.add("Content-Length: 5");
    } else if (framing == 2) {
      body = "5\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      headers.add("Transfer-Encoding: chunked");
    } else if (framing == 3) {
      headers.add("X-Big: " + "b".repeat(9000)); // past the header limit: 431
    } else if (framing == 4) {
      headers.add("Bad Header Without Colon");
    } else if (framing == 5) {
      headers.add("X-Control: a\u0001b");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        (method + " " + target + " " + version + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String h : headers) {
      out.writeBytes((h + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return new Request(
        method, target.toString(), version, headers, out.toByteArray(), method.equals("HEAD"));
  }

  private static String value(Random random, String name) {
    switch (random.nextInt(6)) {
      case 0:
      case 1:
        return pick(random, NUMBERS);
      case 2:
        return pick(random, WORDS);
      case 3:
        return cursor(random);
      case 4:
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
          b.append((char) (random.nextInt(0x2FF) + 1));
        }
        return b.toString();
      default:
        return name.equals("cursor") ? cursor(random) : pick(random, NUMBERS) + pick(random, WORDS);
    }
  }

  /**
   * A cursor as the API writes them (base64url of [sort, key, id]), with hostile parts, or plain
   * garbage.
   */
  private static String cursor(Random random) {
    Object key = random.nextInt(8) == 0 ? (Object) random.nextInt() : pick(random, KEYS);
    Object id =
        pick(random, new Object[] {1, 7L, -1, 0, Long.MAX_VALUE, 1.5, "1", "1e3", null, 9.99e300});
    String json =
        random.nextInt(10) == 0
            ? pick(
                random,
                new String[] {
                  "[]",
                  "{}",
                  "[\"price\"]",
                  "null",
                  "[1,2,3]",
                  "[\"price\",\"1\",1,4]",
                  "\"x\"",
                  "[".repeat(500)
                })
            : new JsonArray().add(pick(random, SORTS)).add(key).add(id).encode();
    String encoded =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    switch (random.nextInt(8)) {
      case 0:
        return encoded.substring(0, encoded.length() / 2);
      case 1:
        return encoded + "===";
      case 2:
        return Base64.getEncoder()
            .encodeToString(json.getBytes(StandardCharsets.UTF_8)); // '+' and '/'
      default:
        return encoded;
    }
  }

  private static void check(
      Request r, RawHttp.Response answer, ConcurrentLinkedQueue<Finding> findings) {
    int status = answer.status();
    boolean knownVersion = r.version().equals("HTTP/1.1") || r.version().equals("HTTP/1.0");
    if (status == 505
        && !knownVersion
        && "application/problem+json".equals(answer.header("content-type"))) {
      return; // the answer issue 16 asks for: a version we do not speak
    }
    if (status >= 500) {
      findings.add(new Finding(r.describe(), status + " " + answer.text()));
      return;
    }
    if (status >= 400) {
      if (!"application/problem+json".equals(answer.header("content-type"))) {
        findings.add(
            new Finding(
                r.describe(), status + " with content-type " + answer.header("content-type")));
        return;
      }
      if (!r.head()) {
        try {
          JsonObject body = new JsonObject(answer.text());
          if (body.getInteger("status") == null
              || body.getInteger("status") != status
              || body.getString("request_id") == null) {
            findings.add(
                new Finding(
                    r.describe(), status + " problem without its status or request id: " + body));
          }
        } catch (RuntimeException e) {
          findings.add(new Finding(r.describe(), status + " body is not JSON: " + answer.text()));
        }
      }
    }
  }

  /**
   * GET /health every 50 ms on a connection of its own while the fuzz runs; records each answer's
   * time.
   */
  private static void probeHealth(
      int port,
      AtomicBoolean fuzzing,
      List<Long> micros,
      AtomicLong clientMax,
      ConcurrentLinkedQueue<Finding> findings) {
    RawHttp http = new RawHttp(port, 10_000);
    try {
      while (fuzzing.get()) {
        long start = System.nanoTime();
        try {
          RawHttp.Response r = http.get("/health");
          long clientMicros = (System.nanoTime() - start) / 1000;
          String timing = r.header("server-timing");
          long serverMicros =
              timing == null
                  ? Long.MAX_VALUE
                  : (long)
                      (Double.parseDouble(timing.substring(timing.indexOf("dur=") + 4)) * 1000);
          micros.add(serverMicros);
          clientMax.accumulateAndGet(clientMicros, Math::max);
          if (r.status() != 200) {
            findings.add(new Finding("GET /health (probe)", "status " + r.status()));
          }
        } catch (IOException e) {
          findings.add(new Finding("GET /health (probe)", "no answer: " + e));
          http = new RawHttp(port, 10_000);
        }
        Thread.sleep(50); // the probe's pace, not a synchronisation
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      http.close();
    }
  }

  /**
   * Ordinary requests on every route first, so the memory measured before is that of a running API.
   */
  private static void warmUp(int port) throws Exception {
    try (RawHttp http = new RawHttp(port, 15_000)) {
      for (int i = 0; i < 300; i++) {
        for (String path :
            new String[] {
              "/api/listings?sort=price&limit=50",
              "/api/gpus",
              "/api/runs",
              "/api/jobs",
              "/api/listings/" + (1 + i % 300),
              "/api/gpus/rtx-4090/history",
              "/api/sources",
              "/api/nothing"
            }) {
          http.get(path);
        }
      }
    }
  }

  private static void seed(DatabaseUrl db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://shop/'),"
              + " ('cloud', 'demo-cloud', 'http://cloud/')");
      st.execute(
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
              + " price_usd, gpu_count, condition, location, first_seen_at, last_seen_at, updated_at, price_changed_at,"
              + " active) SELECT 1 + i % 2, 'x' || i, CASE WHEN i % 2 = 0 THEN 'sale' ELSE 'rental' END,"
              + " 'GPU listing ' || i, (ARRAY['rtx-4090', 'h100-sxm', 'rx-7900-xtx'])[1 + i % 3], 100 + i * 7.25, 'USD',"
              + " CASE WHEN i % 2 = 0 THEN 'total' ELSE 'hour' END, 100 + i * 7.25, 1 + i % 4, 'new', 'US-CA',"
              + " now() - i * interval '1 minute', now() - i * interval '1 minute', now(), now(), i % 10 <> 0"
              + " FROM generate_series(1, 300) i");
      st.execute(
          "INSERT INTO scrape_runs (worker_id, mode, status, finished_at) SELECT 'w1', 'oneshot', 'succeeded',"
              + " now() FROM generate_series(1, 30)");
      st.execute(
          "INSERT INTO rejected_listings (source_id, external_id, title, reason, detail, first_seen_at,"
              + " last_seen_at) SELECT 1, 'r' || i, 'water block ' || i, 'not_a_gpu', 'accessory', now(), now()"
              + " FROM generate_series(1, 30) i");
      st.execute(
          "INSERT INTO jobs (kind, command, state) SELECT 'noop', '{}', 'queued' FROM generate_series(1, 30)");
      st.execute(
          "INSERT INTO outbox (type, source, subject, key, gpu, data) SELECT 'listing.created', 'shop', 'x',"
              + " 'listing-' || i, 'rtx-4090', '{}' FROM generate_series(1, 30) i");
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T pick(Random random, T[] values) {
    return values[random.nextInt(values.length)];
  }
}
