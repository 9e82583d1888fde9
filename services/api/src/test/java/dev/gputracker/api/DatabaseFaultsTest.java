package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.server.HttpVerticle;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Database faults under load, on a real PostgreSQL of the test's own (it is stopped, killed and
 * restarted): while the database is away every answer is a 503 problem with Retry-After (never a
 * 500, never a dropped connection), and within 2 s of its return every answer is a 200 again,
 * without restarting the API.
 */
class DatabaseFaultsTest {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseFaultsTest.class);
  private static final String[] ROUTES = {
    "/api/listings", "/api/runs", "/api/jobs", "/api/sources", "/api/rejected"
  };
  private static Path dir;
  private static int pgPort;
  private static EmbeddedDatabase postgres;
  private static DatabaseUrl db;
  private static Vertx vertx;
  private static int apiPort;

  /**
   * One answer under load: when it was asked, what came back (status -1: the connection failed).
   */
  record Answer(
      long startNanos, int status, String retryAfter, String contentType, String detail) {}

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("faults-pg");
    try (ServerSocket s = new ServerSocket(0)) {
      pgPort = s.getLocalPort();
    }
    postgres = EmbeddedDatabase.start(dir, pgPort);
    db = postgres.url("faults");
    Migrator.migrate(db);
    vertx = Vertx.vertx();
    HttpVerticle api = new HttpVerticle(ApiConfig.forTest(db));
    vertx.deployVerticle(api).await();
    apiPort = api.actualPort();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    postgres.close();
  }

  /** Four clients asking the API without pause until stopped, recording every answer. */
  private static final class Load implements AutoCloseable {
    final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Load() {
      for (int t = 0; t < 4; t++) {
        int first = t;
        Thread thread =
            new Thread(
                () -> {
                  try (RawHttp http = new RawHttp(apiPort, 15_000)) {
                    for (int i = first; running.get(); i++) {
                      long start = System.nanoTime();
                      try {
                        RawHttp.Response r = http.get(ROUTES[i % ROUTES.length]);
                        String detail = r.status() == 200 ? null : r.text();
                        answers.add(
                            new Answer(
                                start,
                                r.status(),
                                r.header("retry-after"),
                                r.header("content-type"),
                                detail));
                      } catch (IOException e) {
                        answers.add(new Answer(start, -1, null, null, e.toString()));
                      }
                    }
                  }
                },
                "load-" + t);
        thread.start();
        threads.add(thread);
      }
    }

    /**
     * Waits (polling every 20 ms, at most 60 s) until {@code n} answers to requests sent after
     * {@code since}.
     */
    void awaitAnswersAfter(long since, int n) throws InterruptedException {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (answers.stream().filter(a -> a.startNanos() > since).count() < n) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the load got fewer than " + n + " answers");
        }
        Thread.sleep(20);
      }
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(30_000);
      }
    }
  }

  /**
   * Every answer is a 200 or a 503 problem with Retry-After, and every request sent 2 s or more
   * after the database returned is a 200 (at least {@code minAfter} of them).
   */
  private static void assertHonest(Load load, long returnedNanos, String what) {
    int unavailable = 0;
    int after = 0;
    for (Answer a : load.answers) {
      assertThat(a.status()).as("%s: %s", what, a).isIn(200, 503);
      if (a.status() == 503) {
        unavailable++;
        assertThat(a.retryAfter()).as("%s: Retry-After on %s", what, a).isNotNull();
        assertThat(a.contentType()).as(what).isEqualTo("application/problem+json");
      }
      if (a.startNanos() >= returnedNanos + 2_000_000_000L) {
        after++;
        assertThat(a.status())
            .as("%s: 2 s after the database returned: %s", what, a)
            .isEqualTo(200);
      }
    }
    assertThat(after).as("%s: requests after the return", what).isGreaterThan(20);
    LOG.info(
        "{}: {} answers, {} of them 503 while the database was away, {} after its return all 200",
        what,
        load.answers.size(),
        unavailable,
        after);
  }

  @Test
  @DisplayName("terminated backends under load: 503s with Retry-After at most, then 200s")
  void terminatedBackends() throws Exception {
    try (Load load = new Load();
        Connection admin = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = admin.createStatement()) {
      load.awaitAnswersAfter(System.nanoTime() - 1, 50);
      for (int round = 0; round < 5; round++) {
        awaitApiConnected(st);
        st.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'gpu-tracker-api'"
                + " AND datname = current_database()");
        load.awaitAnswersAfter(System.nanoTime(), 20);
      }
      long returned = System.nanoTime();
      load.awaitAnswersAfter(returned + 2_000_000_000L, 50);
      load.close();
      assertHonest(load, returned, "terminated backends");
    }
  }

  @Test
  @DisplayName(
      "a fast shutdown under load: only 503s with Retry-After while it is down, 200s within 2 s of its return")
  void fastShutdown() throws Exception {
    try (Load load = new Load()) {
      load.awaitAnswersAfter(System.nanoTime() - 1, 50);
      postgres.close(); // pg_ctl stop -m fast
      load.awaitAnswersAfter(System.nanoTime(), 40);
      postgres = EmbeddedDatabase.start(dir, pgPort);
      long returned = awaitDatabaseBack();
      load.awaitAnswersAfter(returned + 2_000_000_000L, 50);
      load.close();
      assertHonest(load, returned, "fast shutdown");
    }
  }

  @Test
  @DisplayName(
      "a crashed backend (kill -9) under load: PostgreSQL restarts and recovers (57P03 window), 503s meanwhile,"
          + " then 200s")
  void crashAndRestart() throws Exception {
    try (Load load = new Load()) {
      load.awaitAnswersAfter(System.nanoTime() - 1, 50);
      int pid;
      try (Connection admin = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
          Statement st = admin.createStatement()) {
        awaitApiConnected(st);
        try (ResultSet rs =
            st.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE application_name ="
                    + " 'gpu-tracker-api' AND datname = current_database() LIMIT 1")) {
          rs.next();
          pid = rs.getInt(1);
        }
      }
      // A backend killed with SIGKILL makes the postmaster end every session and restart the server
      // from its WAL
      // (crash recovery), refusing connections with 57P03 until it is consistent again.
      ProcessHandle killed = ProcessHandle.of(pid).orElseThrow();
      killed.destroyForcibly();
      killed.onExit().get();
      awaitDatabaseAway();
      long returned = awaitDatabaseBack();
      load.awaitAnswersAfter(returned + 2_000_000_000L, 50);
      load.close();
      assertHonest(load, returned, "crash and restart");
      long startingUp =
          load.answers.stream()
              .filter(a -> a.detail() != null && a.detail().contains("starting up"))
              .count();
      LOG.info(
          "crash and restart: {} answers said the database was starting up or recovering (57P03)",
          startingUp);
    }
  }

  /**
   * Polls (every 20 ms, at most 30 s) until a new session is refused: the postmaster has begun its
   * restart.
   */
  private static void awaitDatabaseAway() throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
          Statement st = c.createStatement()) {
        st.execute("SELECT 1");
        Thread.sleep(20);
      } catch (SQLException e) {
        return;
      }
    }
    throw new AssertionError("PostgreSQL never restarted after its backend was killed");
  }

  /** Polls (every 20 ms, at most 60 s) until a new session can run a query, and returns when. */
  private static long awaitDatabaseBack() throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
          Statement st = c.createStatement()) {
        st.execute("SELECT 1");
        return System.nanoTime();
      } catch (SQLException e) {
        Thread.sleep(20);
      }
    }
    throw new AssertionError("PostgreSQL did not come back");
  }

  private static void awaitApiConnected(Statement st) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                  + " 'gpu-tracker-api' AND datname = current_database()")) {
        rs.next();
        if (rs.getInt(1) > 0) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the API never reconnected");
  }
}
