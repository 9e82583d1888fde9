package dev.gputracker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.Fixtures;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.testing.Sql;
import dev.gputracker.worker.testing.TestShop;
import dev.gputracker.worker.testing.TestShop.Answer;
import dev.gputracker.worker.testing.WorkerChild;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Layout drift, robot checks and outages never wipe the market: real worker processes, a real
 * PostgreSQL and real HTTP shops whose pages turn bad between runs, as a marketplace's do.
 */
// Each test starts a dozen worker processes in turn (a JVM, the migrations check, a run each): the
// default 3 minutes
// per test is too tight on a loaded two-core machine, where one start can take 15 s.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SourceHealthTest {
  private static final int PAGES = 3;
  private static final int PER_PAGE = 10;
  private static final int ALL = PAGES * PER_PAGE;

  private static Map<String, String> oneshot(Path sources) {
    return Map.of("WORKER_MODE", "oneshot", "SOURCES_FILE", sources.toString());
  }

  /** One oneshot run; returns its output after checking its exit status. */
  private static String run(DatabaseUrl db, Path sources, int exit) throws Exception {
    try (WorkerChild worker = WorkerChild.start(db, oneshot(sources))) {
      assertThat(worker.waitFor(90)).as(worker.output()).isEqualTo(exit);
      return worker.output();
    }
  }

  private static long active(DatabaseUrl db) {
    return Sql.count(db, "SELECT count(*) FROM listings WHERE active");
  }

  private static long events(DatabaseUrl db, String type) {
    return Sql.count(db, "SELECT count(*) FROM outbox WHERE type = ?", type);
  }

  private static Object latest(DatabaseUrl db, String column) {
    return Sql.single(
        db, "SELECT " + column + " FROM scrape_run_sources ORDER BY run_id DESC LIMIT 1");
  }

  private static Object health(DatabaseUrl db) {
    return Sql.single(
        db,
        "SELECT health || ': ' || coalesce(health_reason, '-') FROM sources WHERE name = 'shop'");
  }

  /**
   * A bad run: exit 2, nothing removed, no listing.removed event, the verdict and its reason
   * recorded.
   */
  private static String badRun(DatabaseUrl db, Path sources, String status, String reason)
      throws Exception {
    long before = active(db);
    long removedEvents = events(db, "listing.removed");
    String out = run(db, sources, 2);
    assertThat(out).containsPattern("shop\\s+" + status).contains(reason);
    assertThat(active(db)).as("no listing removed").isEqualTo(before);
    assertThat(events(db, "listing.removed"))
        .as("no listing.removed event")
        .isEqualTo(removedEvents);
    assertThat(latest(db, "status")).isEqualTo(status);
    assertThat(latest(db, "listings_removed")).isEqualTo(0);
    assertThat((String) health(db))
        .startsWith(status.equals("failed") ? "failing" : "suspect")
        .contains(reason);
    return out;
  }

  /**
   * The page restored: the run is ok, and nothing comes back as new or relisted (prices a priceless
   * page blanked come back as changes).
   */
  private static void restoredRun(DatabaseUrl db, Path sources) throws Exception {
    long created = events(db, "listing.created");
    String out = run(db, sources, 0);
    assertThat(out)
        .containsPattern("shop\\s+succeeded\\s+" + PAGES + "\\s+" + ALL + "\\s+0\\s+\\d+\\s+0");
    assertThat(events(db, "listing.created")).as("nothing new or relisted").isEqualTo(created);
    assertThat(health(db)).isEqualTo("ok: -");
  }

  @Test
  @DisplayName(
      "robot check, empty body, cards without prices and a cut pagination remove nothing and exit 2; a 30 %"
          + " shrink is ok, an 80 % one suspect until accept-baseline lets it remove what is gone")
  void badPagesRemoveNothing() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (TestShop shop = TestShop.start(PAGES, PER_PAGE)) {
      Path sources = WorkerChild.sourcesFile("shop", shop.baseUrl(), 5);
      assertThat(run(db, sources, 0)).containsPattern("shop\\s+succeeded\\s+3\\s+30\\s+30");
      assertThat(health(db)).as("a new source's first run is trusted").isEqualTo("ok: -");

      shop.answer(Answer.ROBOT_CHECK);
      badRun(db, sources, "failed", "the page is a robot check titled 'Robot Check'");
      shop.answer(Answer.RESULTS);
      restoredRun(db, sources);

      shop.answer(Answer.EMPTY_BODY);
      badRun(db, sources, "failed", "the page is an empty body (0 bytes)");
      shop.answer(Answer.RESULTS);
      restoredRun(db, sources);

      shop.answer(Answer.NO_PRICES);
      badRun(
          db,
          sources,
          "suspect",
          "the share of listings priced fell to 0 % from a median of 100 %");
      shop.answer(Answer.RESULTS);
      restoredRun(db, sources);

      shop.lastPage(1);
      badRun(
          db,
          sources,
          "suspect",
          "pagination ended after page 1, a full page without a next link, where the"
              + " recent runs reached page 3 (page_limit allows 5)");
      shop.lastPage(-1);
      restoredRun(db, sources);

      shop.showPerPage(7);
      assertThat(run(db, sources, 0))
          .as("a 30 % shrink is a market that shrank")
          .containsPattern("shop\\s+succeeded\\s+3\\s+21\\s+0\\s+0\\s+9");
      assertThat(active(db)).isEqualTo(21);

      shop.showPerPage(2);
      badRun(
          db,
          sources,
          "suspect",
          "listings read fell to 6 from a median of 30 over the last 5 complete runs"
              + " (below 50 %)");
      assertThat(active(db)).isEqualTo(21);

      try (WorkerChild accept = WorkerChild.start(db, Map.of(), "accept-baseline", "shop")) {
        assertThat(accept.waitFor(60)).as(accept.output()).isZero();
        assertThat(accept.output())
            .contains("is the new baseline")
            .contains("15 listings it no longer saw removed");
      }
      assertThat(active(db)).isEqualTo(6);
      assertThat(health(db)).isEqualTo("ok: -");
      assertThat(run(db, sources, 0))
          .as("judged by the accepted baseline")
          .containsPattern("shop\\s+succeeded\\s+3\\s+6\\s+0\\s+0\\s+0");

      // One health event per change, never one per run: ok, then failing/ok twice, suspect/ok
      // twice, suspect, ok.
      assertThat(
              Sql.column(
                  db,
                  "SELECT data->>'health' FROM outbox WHERE type = 'source.health_changed'"
                      + " ORDER BY tx, id"))
          .containsExactly(
              "ok", "failing", "ok", "failing", "ok", "suspect", "ok", "suspect", "ok", "suspect",
              "ok");
      assertThat(Sql.column(db, "SELECT status FROM scrape_runs ORDER BY id"))
          .containsExactly(
              "succeeded",
              "failed",
              "succeeded",
              "failed",
              "succeeded",
              "suspect",
              "succeeded",
              "suspect",
              "succeeded",
              "succeeded",
              "suspect",
              "succeeded");
    }
  }

  @Test
  @DisplayName(
      "the issue's scenario: a saved Amazon page whose result markers were renamed removes nothing, exits 2"
          + " and names what it saw; restored, the next run is ok with nothing new")
  void amazonRedesign() throws Exception {
    byte[] saved = Files.readAllBytes(Fixtures.require("amazon/listings_COM_1.html"));
    byte[] redesigned =
        new String(saved, StandardCharsets.UTF_8)
            .replace(
                "data-component-type=\"s-search-result\"", "data-component-type=\"s-search-card\"")
            .getBytes(StandardCharsets.UTF_8);
    AtomicReference<byte[]> page = new AtomicReference<>(saved);
    DatabaseUrl db = TestDatabases.fresh();
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(
                  req -> {
                    if (req.path().equals("/s")) {
                      req.response()
                          .putHeader("content-type", "text/html; charset=utf-8")
                          .end(Buffer.buffer(page.get()));
                    } else {
                      req.response().setStatusCode(404).end();
                    }
                  })
              .listen(0, "127.0.0.1")
              .await();
      Path sources = Files.createTempFile("sources", ".json");
      Files.writeString(
          sources,
          "{\"sources\":[{\"name\":\"shop\",\"adapter\":\"amazon\",\"base_url\":"
              + "\"http://127.0.0.1:"
              + server.actualPort()
              + "/s?k=rtx+3080\",\"page_limit\":1,"
              + "\"requests_per_second\":100,\"max_retries\":0}]}");

      String first = run(db, sources, 0);
      long listed = active(db);
      assertThat(listed).as(first).isPositive();

      page.set(redesigned);
      long removedEvents = events(db, "listing.removed");
      String second = run(db, sources, 2);
      assertThat(second)
          .containsPattern("shop\\s+failed\\s+0\\s+0\\s+0\\s+0\\s+0")
          .contains("no listings on http://127.0.0.1:" + server.actualPort() + "/s?k=rtx+3080")
          .contains("without result markers");
      assertThat(active(db)).as("nothing removed").isEqualTo(listed);
      assertThat(events(db, "listing.removed")).isEqualTo(removedEvents);
      assertThat((String) health(db)).startsWith("failing: ");

      page.set(saved);
      long created = events(db, "listing.created");
      assertThat(run(db, sources, 0)).containsPattern("shop\\s+succeeded");
      assertThat(events(db, "listing.created")).as("nothing new or relisted").isEqualTo(created);
      assertThat(health(db)).isEqualTo("ok: -");
      System.out.println(
          "SCENARIO run 1: "
              + listed
              + " listings; run 2: "
              + second.lines().filter(l -> l.startsWith("Run ") || l.startsWith("shop ")).toList());
    } finally {
      vertx.close().await();
    }
  }
}
