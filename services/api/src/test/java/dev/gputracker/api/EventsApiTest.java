package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.EventContracts;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The live event stream over a real PostgreSQL outbox: NOTIFY wakes it, Last-Event-ID resumes it.
 */
class EventsApiTest {
  private static DatabaseUrl db;
  private static ApiServer server;
  private static Vertx vertx;
  private static int listing = 0;

  @BeforeAll
  static void start() {
    db = TestDatabases.fresh();
    // A cap of 3 streams and a heartbeat every second, so both can be seen quickly.
    server = ApiServer.start(new ApiConfig(0, db, 4, 5_000, 10_000, List.of(), 0, 0, 3, 1));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    server.close();
  }

  /** Commits one listing event and returns its listing id. */
  private static synchronized int emit(String type, String gpu) throws Exception {
    int id = ++listing;
    JsonObject data =
        new JsonObject()
            .put("listing_id", id)
            .put("source", "shop")
            .put("external_id", "e" + id)
            .put("kind", "sale")
            .put("title", "RTX " + id)
            .put("gpu", gpu)
            .put("price", "1.0000")
            .put("currency", "USD")
            .put("price_unit", "total")
            .put("price_usd", "1.0000")
            .put("gpu_count", 1)
            .put("url", null)
            .put("run_id", null);
    if (type.equals("listing.removed")) {
      data.remove("price_unit");
      data.remove("gpu_count");
    }
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO outbox (type, source, subject, key, gpu, data) VALUES ('"
              + type
              + "', '/gpu-tracker/worker', 'listing/"
              + id
              + "', 'listing-"
              + id
              + "', "
              + (gpu == null ? "NULL" : "'" + gpu + "'")
              + ", '"
              + data.encode()
              + "')");
    }
    return id;
  }

  @Test
  @DisplayName(
      "a new stream starts now and receives each committed event once, in order, as a valid CloudEvent")
  void live() throws Exception {
    emit("listing.created", "rtx-4090"); // before the stream opened: not part of it
    try (SseClient sse = new SseClient(server.port(), "?type=listing.created", null)) {
      assertThat(sse.status).isEqualTo(200);
      sse.awaitReady();
      int a = emit("listing.created", "rtx-4090");
      int b = emit("listing.created", "rx-7900-xtx");
      List<SseClient.Event> events = sse.events(2);
      assertThat(events)
          .extracting(e -> e.data().getJsonObject("data").getInteger("listing_id"))
          .containsExactly(a, b);
      for (SseClient.Event e : events) {
        assertThat(e.type()).isEqualTo("listing.created");
        assertThat(e.id()).isEqualTo(e.data().getString("position"));
        EventContracts.assertHonoured(e.data());
      }
    }
  }

  @Test
  @DisplayName(
      "a client that disconnects and comes back with Last-Event-ID misses nothing and sees nothing twice")
  void resume() throws Exception {
    List<Integer> seen = new ArrayList<>();
    String last;
    try (SseClient sse = new SseClient(server.port(), "?type=listing.price_changed", null)) {
      sse.awaitReady();
      for (int i = 0; i < 3; i++) {
        emit("listing.price_changed", "rtx-4090");
      }
      List<SseClient.Event> first = sse.events(3);
      first.forEach(e -> seen.add(e.data().getJsonObject("data").getInteger("listing_id")));
      last = first.get(2).id();
    }
    List<Integer> missed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      missed.add(emit("listing.price_changed", "rtx-4090"));
    }
    try (SseClient again = new SseClient(server.port(), "?type=listing.price_changed", last)) {
      List<SseClient.Event> caughtUp = again.events(4);
      assertThat(caughtUp)
          .extracting(e -> e.data().getJsonObject("data").getInteger("listing_id"))
          .containsExactlyElementsOf(missed);
      int live = emit("listing.price_changed", "rtx-4090");
      assertThat(again.events(1).get(0).data().getJsonObject("data").getInteger("listing_id"))
          .isEqualTo(live);
    }
    assertThat(seen).doesNotContainAnyElementsOf(missed);
  }

  @Test
  @DisplayName(
      "streams sharing reads (live ones at the same position) and one catching up beside them each get"
          + " exactly their events, in order")
  void sharedReads() throws Exception {
    String before;
    try (SseClient first = new SseClient(server.port(), "?type=listing.created", null)) {
      first.awaitReady();
      emit("listing.created", "rtx-4090");
      before = first.events(1).get(0).id();
    }
    List<Integer> backlog = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      backlog.add(emit("listing.created", "rtx-4090"));
    }
    try (SseClient all = new SseClient(server.port(), "?type=listing.created", null);
        SseClient h100 = new SseClient(server.port(), "?type=listing.created&gpu=h100-sxm", null);
        SseClient behind = new SseClient(server.port(), "?type=listing.created", before)) {
      all.awaitReady();
      h100.awaitReady();
      List<Integer> live = new ArrayList<>();
      List<Integer> h100s = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int id = emit("listing.created", i % 2 == 0 ? "h100-sxm" : "rtx-4090");
        live.add(id);
        if (i % 2 == 0) {
          h100s.add(id);
        }
      }
      Function<SseClient.Event, Integer> listingId =
          e -> e.data().getJsonObject("data").getInteger("listing_id");
      assertThat(all.events(6)).extracting(listingId).containsExactlyElementsOf(live);
      assertThat(h100.events(3)).extracting(listingId).containsExactlyElementsOf(h100s);
      List<Integer> everything = new ArrayList<>(backlog);
      everything.addAll(live);
      assertThat(behind.events(11)).extracting(listingId).containsExactlyElementsOf(everything);
      for (SseClient s : List.of(all, h100, behind)) {
        assertThat(s.received.stream().filter(o -> o instanceof SseClient.Event))
            .as("nothing more")
            .isEmpty();
      }
    }
  }

  @Test
  @DisplayName(
      "type and gpu filters, heartbeats on an idle stream, bad parameters and the cap on streams")
  void filtersHeartbeatsAndLimits() throws Exception {
    try (SseClient sse = new SseClient(server.port(), "?type=listing.removed&gpu=h100-sxm", null)) {
      sse.awaitReady();
      emit("listing.removed", "rtx-4090");
      emit("listing.created", "h100-sxm");
      int wanted = emit("listing.removed", "h100-sxm");
      SseClient.Event e = sse.events(1).get(0);
      assertThat(e.data().getJsonObject("data").getInteger("listing_id")).isEqualTo(wanted);
      Object next;
      do {
        next = sse.received.poll(10, TimeUnit.SECONDS);
        assertThat(next)
            .as("only heartbeats follow")
            .isNotNull()
            .isNotInstanceOf(SseClient.Event.class);
      } while (!String.valueOf(next).startsWith("comment"));

      assertThat(server.get("/api/events?type=bogus").statusCode()).isEqualTo(400);
      assertThat(server.get("/api/events?last_event_id=abc").statusCode()).isEqualTo(400);
      assertThat(server.get("/api/events?gpu=RTX%204090").statusCode()).isEqualTo(400);
      try (SseClient two = new SseClient(server.port(), "", null);
          SseClient three = new SseClient(server.port(), "", null)) {
        assertThat(two.status).isEqualTo(200);
        assertThat(three.status).isEqualTo(200);
        SseClient four = new SseClient(server.port(), "", null);
        assertThat(four.status).as("over the cap of 3").isEqualTo(503);
      }
    }
  }

  @Test
  @DisplayName(
      "hundreds of random and hostile query strings and Last-Event-IDs never produce a 5xx")
  void hostile() throws Exception {
    Random random = new Random(3);
    String[] names = {"type", "gpu", "last_event_id", "x"};
    String[] values = {
      "listing.created",
      "job.state_changed",
      "bogus",
      "rtx-4090",
      "1.2",
      "-1.2",
      "1.",
      "abc",
      "",
      "9".repeat(60),
      "'; DROP TABLE outbox; --",
      "%",
      "😀",
      "listing.created,listing.removed",
      ",,,"
    };
    for (int i = 0; i < 300; i++) {
      StringBuilder q = new StringBuilder("?");
      for (int p = 0, n = 1 + random.nextInt(3); p < n; p++) {
        q.append(names[random.nextInt(names.length)])
            .append('=')
            .append(
                URLEncoder.encode(values[random.nextInt(values.length)], StandardCharsets.UTF_8))
            .append('&');
      }
      String header = random.nextInt(4) == 0 ? values[random.nextInt(values.length)] : null;
      if (header != null && !header.matches("[\\x20-\\x7e]*")) {
        header = null; // an HTTP client sends printable ASCII header values only
      }
      try (SseClient sse = new SseClient(server.port(), q.toString(), header)) {
        assertThat(sse.status).as(q + " Last-Event-ID " + header).isIn(200, 400);
      }
    }
  }
}
