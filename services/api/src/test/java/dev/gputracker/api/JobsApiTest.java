package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Jobs and workers, over a real PostgreSQL seeded as the worker's queue and registry would leave
 * it.
 */
class JobsApiTest {
  private static ApiServer server;

  @BeforeAll
  static void start() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      // 1: a finished noop with a long log, a result and a secret in its environment; 2-5: other
      // states and kinds.
      st.execute(
          "INSERT INTO jobs (kind, command, env, state, attempts, exit_code, log_tail, result, created_at,"
              + " started_at, finished_at, idempotency_key) VALUES ('noop', '{}', '{\"TOKEN\": \"s3cret\", \"A\": \"1\"}',"
              + " 'succeeded', 1, 0, repeat('x', 20000) || 'END', '{\"ok\": true, \"score\": 1.5}',"
              + " now() - interval '1 hour', now() - interval '59 minutes', now() - interval '58 minutes', 'nightly')");
      st.execute(
          "INSERT INTO jobs (kind, command, state, attempts, exit_code, error) VALUES"
              + " ('command', '{sh,-c,exit 3}', 'failed', 1, 3, 'exit 3')");
      st.execute("INSERT INTO jobs (kind, command, state) VALUES ('command', '{true}', 'queued')");
      st.execute(
          "INSERT INTO jobs (kind, state, attempts, lease_owner, lease_expires_at, started_at) VALUES"
              + " ('noop', 'running', 1, 'w-active', now() + interval '30 seconds', now())");
      st.execute(
          "INSERT INTO jobs (kind, state, attempts, max_attempts, gpus, finished_at) VALUES"
              + " ('gpu-benchmark', 'dead', 3, 3, 1, now())");
      st.execute(
          "INSERT INTO job_events (job_id, at, from_state, to_state, worker, detail) VALUES"
              + " (1, now() - interval '1 hour', NULL, 'queued', NULL, 'submitted'),"
              + " (1, now() - interval '59 minutes', 'queued', 'running', 'w-active', NULL),"
              + " (1, now() - interval '58 minutes', 'running', 'succeeded', 'w-active', NULL)");
      // Heartbeats: fresh; a minute old at 15 s (gone); a minute old at 60 s (still active);
      // stopped.
      st.execute(
          "INSERT INTO workers (id, host, gpus, capacity, version, heartbeat_seconds, started_at, heartbeat_at,"
              + " stopped_at) VALUES"
              + " ('w-active', 'gpu-box-1', '[{\"index\": 0, \"name\": \"NVIDIA H100 80GB HBM3\", \"memory_mb\": 81559,"
              + " \"compute_capability\": \"9.0\", \"driver_version\": \"535.104.05\", \"source\": \"nvidia-smi\"}]', 4,"
              + " '0.1.0', 15, now() - interval '1 minute', now(), NULL),"
              + " ('w-gone', 'box-2', '[]', 2, 'dev', 15, now() - interval '2 minutes', now() - interval '60 seconds', NULL),"
              + " ('w-slow', 'box-3', '[]', 1, 'dev', 60, now() - interval '3 minutes', now() - interval '60 seconds', NULL),"
              + " ('w-stopped', 'box-4', '[]', 0, 'dev', 15, now() - interval '4 minutes', now() - interval '1 minute',"
              + " now() - interval '1 minute')");
    }
    server = ApiServer.start(db);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<Buffer> get(String path) {
    return server.get(path);
  }

  private static JsonArray items(String path) {
    HttpResponse<Buffer> r = get(path);
    assertThat(r.statusCode()).as(path + ": " + r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonArray("items");
  }

  @Test
  @DisplayName(
      "/api/workers shows each worker's GPUs and status: active, gone after three missed heartbeats of its own interval, stopped")
  void workers() {
    JsonArray all = items("/api/workers");
    assertThat(all)
        .extracting(o -> ((JsonObject) o).getString("id"))
        .containsExactly("w-active", "w-gone", "w-slow", "w-stopped");
    assertThat(all)
        .extracting(o -> ((JsonObject) o).getString("status"))
        .containsExactly("active", "gone", "active", "stopped");
    JsonObject active = all.getJsonObject(0);
    assertThat(active.getString("host")).isEqualTo("gpu-box-1");
    assertThat(active.getInteger("capacity")).isEqualTo(4);
    assertThat(active.getString("version")).isEqualTo("0.1.0");
    assertThat(active.getString("started_at")).isNotNull();
    assertThat(active.getString("heartbeat_at")).isNotNull();
    assertThat(active.getValue("stopped_at")).isNull();
    JsonObject gpu = active.getJsonArray("gpus").getJsonObject(0);
    assertThat(gpu.getString("name")).isEqualTo("NVIDIA H100 80GB HBM3");
    assertThat(gpu.getLong("memory_mb")).isEqualTo(81559L);
    assertThat(all.getJsonObject(3).getString("stopped_at")).isNotNull();

    assertThat(items("/api/workers?status=gone"))
        .extracting(o -> ((JsonObject) o).getString("id"))
        .containsExactly("w-gone");
    assertThat(items("/api/workers?limit=1")).hasSize(1);
    assertThat(get("/api/workers?status=dead").statusCode()).isEqualTo(400);
    assertThat(get("/api/workers?status=dead").bodyAsString()).contains("status");
  }

  @Test
  @DisplayName("/api/jobs lists newest first, filters by state and kind, and pages with a cursor")
  void list() {
    assertThat(items("/api/jobs"))
        .extracting(o -> ((JsonObject) o).getLong("id"))
        .containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(items("/api/jobs?kind=command"))
        .extracting(o -> ((JsonObject) o).getLong("id"))
        .containsExactly(3L, 2L);
    JsonObject failed = items("/api/jobs?state=failed").getJsonObject(0);
    assertThat(failed.getLong("id")).isEqualTo(2L);
    assertThat(failed.getInteger("exit_code")).isEqualTo(3);
    assertThat(failed.getString("error")).isEqualTo("exit 3");
    assertThat(items("/api/jobs?state=running&kind=noop").getJsonObject(0).getString("worker"))
        .isEqualTo("w-active");
    assertThat(items("/api/jobs?state=running&kind=command")).isEmpty();

    JsonObject page = get("/api/jobs?limit=2").bodyAsJsonObject();
    assertThat(page.getJsonArray("items"))
        .extracting(o -> ((JsonObject) o).getLong("id"))
        .containsExactly(5L, 4L);
    JsonObject next =
        get("/api/jobs?limit=2&cursor=" + page.getString("next_cursor")).bodyAsJsonObject();
    assertThat(next.getJsonArray("items"))
        .extracting(o -> ((JsonObject) o).getLong("id"))
        .containsExactly(3L, 2L);
    JsonObject last =
        get("/api/jobs?limit=2&cursor=" + next.getString("next_cursor")).bodyAsJsonObject();
    assertThat(last.getJsonArray("items"))
        .extracting(o -> ((JsonObject) o).getLong("id"))
        .containsExactly(1L);
    assertThat(last.getValue("next_cursor")).isNull();
  }

  @Test
  @DisplayName("bad filters, limits and cursors are 400s naming the parameter")
  void badParameters() {
    for (Map.Entry<String, String> bad :
        Map.of(
                "state=finished",
                "state",
                "kind=docker",
                "kind",
                "limit=0",
                "limit",
                "limit=201",
                "limit",
                "cursor=abc",
                "cursor",
                "cursor=-4",
                "cursor",
                "sort=id",
                "sort",
                "state=queued&state=dead",
                "state")
            .entrySet()) {
      HttpResponse<Buffer> r = get("/api/jobs?" + bad.getKey());
      assertThat(r.statusCode()).as(bad.getKey()).isEqualTo(400);
      assertThat(r.getHeader("content-type")).isEqualTo("application/problem+json");
      assertThat(r.bodyAsString()).as(bad.getKey()).contains(bad.getValue());
    }
  }

  @Test
  @DisplayName(
      "/api/jobs/{id} shows the outcome, a bounded log tail, the result, env names without values, and the state history")
  void one() {
    HttpResponse<Buffer> r = get("/api/jobs/1");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject job = r.bodyAsJsonObject();
    assertThat(job.getString("state")).isEqualTo("succeeded");
    assertThat(job.getInteger("exit_code")).isZero();
    assertThat(job.getInteger("attempts")).isEqualTo(1);
    assertThat(job.getString("idempotency_key")).isEqualTo("nightly");
    assertThat(job.getJsonObject("result"))
        .isEqualTo(new JsonObject().put("ok", true).put("score", 1.5));
    assertThat(job.getString("log_tail")).hasSize(16_384).endsWith("xEND");
    assertThat(job.getBoolean("log_truncated")).isTrue();
    assertThat(job.getJsonArray("env_keys")).containsExactly("A", "TOKEN");
    assertThat(r.bodyAsString()).doesNotContain("s3cret");
    assertThat(job.getString("created_at")).isNotNull();
    assertThat(job.getString("finished_at")).isNotNull();
    JsonArray history = job.getJsonArray("history");
    assertThat(history)
        .extracting(o -> ((JsonObject) o).getString("to"))
        .containsExactly("queued", "running", "succeeded");
    assertThat(history.getJsonObject(1).getString("from")).isEqualTo("queued");
    assertThat(history.getJsonObject(2).getString("worker")).isEqualTo("w-active");
    assertThat(job.getBoolean("history_truncated")).isFalse();

    JsonObject failed = get("/api/jobs/2").bodyAsJsonObject();
    assertThat(failed.getJsonArray("command")).containsExactly("sh", "-c", "exit 3");
    assertThat(failed.getBoolean("log_truncated")).isFalse();
    assertThat(failed.getJsonArray("history")).isEmpty();
    assertThat(get("/api/jobs/999").statusCode()).isEqualTo(404);
    assertThat(get("/api/jobs/abc").statusCode()).isEqualTo(404);
    assertThat(get("/api/jobs/999").getHeader("content-type"))
        .isEqualTo("application/problem+json");
  }

  @Test
  @DisplayName(
      "thousands of random and hostile query strings on /api/jobs, /api/jobs/{id} and /api/workers never produce a 5xx")
  void hostileQueries() {
    Random random = new Random(11);
    String[] names = {"state", "kind", "limit", "cursor", "status", "x"};
    String[] nasty = {
      "'; DROP TABLE jobs; --",
      "1e999",
      "-1",
      "NaN",
      "\u0000",
      "%",
      "_",
      "\\",
      "9".repeat(400),
      "true\ntrue",
      "ÿÿÿ",
      "😀",
      "1 OR 1=1",
      "$1",
      "::text",
      "null",
      "",
      "0",
      "1",
      "200",
      "201",
      "queued",
      "running",
      "dead",
      "noop",
      "command",
      "gpu-benchmark",
      "active",
      "gone",
      "stopped",
      "9223372036854775807"
    };
    String[] paths = {"/api/jobs", "/api/workers", "/api/jobs/1"};
    for (int i = 0; i < 1500; i++) {
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
      String path = paths[random.nextInt(paths.length)];
      HttpResponse<Buffer> r = get(path + q);
      assertThat(r.statusCode()).as(path + q).isLessThan(500);
      assertThat(r.getHeader("content-type")).startsWith("application/");
      String id = random.nextBoolean() ? nasty[random.nextInt(nasty.length)] : randomText(random);
      HttpResponse<Buffer> one = get("/api/jobs/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
      assertThat(one.statusCode()).as("/api/jobs/" + id).isLessThan(500);
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
}
