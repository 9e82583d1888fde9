package dev.gputracker.api.bench;

import dev.gputracker.api.ApiConfig;
import dev.gputracker.api.server.HttpVerticle;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The live-stream half of {@code bench/events.sh} (a benchmark main, not a test): commit-to-browser
 * latency of {@code GET /api/events}. Commits {@code bench.sse} events one at a time into the
 * outbox of an embedded PostgreSQL and times each from just before its commit to its arrival at a
 * connected SSE client of the API. Prints {@code SSE sse_p50_ms=... sse_p99_ms=...}.
 */
public final class SseLatencyBench {
  private static final int EVENTS = Integer.getInteger("bench.sse", 1_000);

  private SseLatencyBench() {}

  public static void main(String[] args) throws Exception {
    try (EmbeddedDatabase postgres =
        EmbeddedDatabase.start(Files.createTempDirectory("gpu-tracker-sse-bench"), 0)) {
      DatabaseUrl db = postgres.url("bench");
      Migrator.migrate(db);
      Vertx vertx = Vertx.vertx();
      HttpVerticle api =
          new HttpVerticle(new ApiConfig(0, db, 4, 5_000, 10_000, List.of(), 0, 0, 10, 15));
      vertx.deployVerticle(api).await();
      HttpClient http = vertx.createHttpClient();
      BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(EVENTS + 10);
      StringBuilder pending = new StringBuilder();
      BlockingQueue<String> ready = new ArrayBlockingQueue<>(1);
      http.request(
              new RequestOptions()
                  .setMethod(HttpMethod.GET)
                  .setHost("127.0.0.1")
                  .setPort(api.actualPort())
                  .setURI("/api/events"))
          .compose(req -> req.send())
          .onSuccess(
              resp ->
                  resp.handler(
                      chunk -> {
                        long now = System.nanoTime();
                        pending.append(chunk.toString());
                        int end;
                        while ((end = pending.indexOf("\n\n")) >= 0) {
                          String block = pending.substring(0, end);
                          pending.delete(0, end + 2);
                          if (block.startsWith("retry:")) {
                            ready.add("ready");
                          } else if (block.contains("data: ")) {
                            arrivals.add(now);
                          }
                        }
                      }))
          .await();
      if (ready.poll(10, TimeUnit.SECONDS) == null) {
        throw new IllegalStateException("the event stream did not open");
      }
      List<Double> latencies = new ArrayList<>(EVENTS);
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
          PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO outbox (type, source, subject, key, gpu, data)"
                      + " VALUES ('listing.created', '/gpu-tracker/worker', ?, ?, 'rtx-4090', ?::jsonb)")) {
        for (int i = 1; i <= EVENTS; i++) {
          insert.setString(1, "listing/" + i);
          insert.setString(2, "listing-" + i);
          insert.setString(
              3, new JsonObject().put("listing_id", i).put("title", "RTX 4090 " + i).encode());
          long before = System.nanoTime();
          insert.executeUpdate(); // autocommit: the commit is the change the stream reports
          Long arrived = arrivals.poll(10, TimeUnit.SECONDS);
          if (arrived == null) {
            throw new IllegalStateException("event " + i + " did not arrive within 10 s");
          }
          latencies.add((arrived - before) / 1e6);
        }
      }
      Collections.sort(latencies);
      double p50 = latencies.get(latencies.size() / 2);
      double p99 = latencies.get((int) (latencies.size() * 0.99));
      System.out.printf(
          Locale.ROOT,
          "commit-to-SSE latency over %d events: p50 %.2f ms, p99 %.2f ms%n",
          EVENTS,
          p50,
          p99);
      System.out.printf(Locale.ROOT, "SSE sse_p50_ms=%.2f sse_p99_ms=%.2f%n", p50, p99);
      vertx.close().await();
    }
  }
}
