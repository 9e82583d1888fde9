package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.benchmarks.BenchmarkStore;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Price per FP32 TFLOP from gpu-benchmark measurements: /api/gpus and the listings use the median
 * measured figure of a model where there is one, else the catalog's. No GPU exists on the build
 * machines: the measurements are written through the worker's store with given figures, not
 * measured ones.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeasuredTflopsApiTest {
  private static ApiServer server;
  private static DatabaseUrl db;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabases.fresh();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://s/')");
      String cols =
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
              + " price_usd, gpu_count, first_seen_at, last_seen_at, updated_at, price_changed_at, active) VALUES ";
      // Catalog FP32: rtx-4090 82.58, h100-pcie 51.2, h100-sxm 67.
      st.execute(
          cols
              + "(1, 'a', 'sale', 'RTX 4090', 'rtx-4090', 1600, 'USD', 'total', 1600, 1, now(), now(), now(), now(), true),"
              + "(1, 'b', 'sale', 'H100 PCIe', 'h100-pcie', 25000, 'USD', 'total', 25000, 1, now(), now(), now(), now(), true),"
              + "(1, 'c', 'sale', 'H100 SXM', 'h100-sxm', 30000, 'USD', 'total', 30000, 1, now(), now(), now(), now(), true),"
              + "(1, 'd', 'sale', '2x H100 SXM', 'h100-sxm', 56000, 'USD', 'total', 56000, 2, now(), now(), now(), now(), true),"
              + "(1, 'e', 'rental', 'H100 SXM', 'h100-sxm', 2, 'USD', 'hour', 2, 1, now(), now(), now(), now(), true)");
    }
    server = ApiServer.start(db);
    pool = Database.pool(server.vertx(), db, "benchmarks-test", 2);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject get(String path) {
    var response = server.get(path);
    assertThat(response.statusCode()).as(path + ": " + response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  /** Every page of a listing search, following next_cursor with pages of two. */
  private static List<String> pages(String query) {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject body =
          get("/api/listings?" + query + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      for (Object o : body.getJsonArray("items")) {
        JsonObject l = (JsonObject) o;
        seen.add(l.getString("external_id") + "=" + l.getString("price_per_tflop"));
      }
      cursor = body.getString("next_cursor");
    } while (cursor != null);
    return seen;
  }

  @Test
  @Order(1)
  @DisplayName("without measurements every model divides by its catalog FP32 figure and says so")
  void catalogBeforeBenchmarks() {
    JsonObject sxm = get("/api/gpus/h100-sxm");
    assertThat(sxm.getString("fp32_tflops_source")).isEqualTo("catalog");
    assertThat(sxm.getValue("fp32_tflops_measured")).isNull();
    assertThat(sxm.getInteger("benchmarks")).isZero();
    assertThat(sxm.getValue("measured_bandwidth_gbs")).isNull();
    assertThat(sxm.getJsonObject("market").getString("price_per_fp32_tflop"))
        .as("median 29000 / 67")
        .isEqualTo("432.84");
    // The figure orders rank sales unless kind says otherwise: the rental (e) is never mixed in.
    assertThat(pages("sort=price_per_tflop"))
        .containsExactly("a=19.3752", "d=417.9104", "c=447.7612", "b=488.2813");
    assertThat(pages("sort=price_per_tflop&kind=rental")).containsExactly("e=0.0299");
  }

  @Test
  @Order(2)
  @DisplayName(
      "once the store holds measurements, /api/gpus, /api/gpus/{slug} and the listings' price per TFLOP use"
          + " the model's median, and the price_per_tflop order and its cursors follow it")
  void measuredAfterBenchmarks() throws Exception {
    long job;
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "INSERT INTO jobs (kind, state) VALUES ('gpu-benchmark', 'running')"
                    + " RETURNING id")) {
      rs.next();
      job = rs.getLong(1);
    }
    // Given figures (no GPU here): two H100 SXM devices with FP32, one measured without cuBLAS.
    new BenchmarkStore(pool)
        .save(
            job,
            "gpu-box",
            List.of(
                new BenchmarkStore.Measurement(
                    0,
                    "NVIDIA H100 80GB HBM3",
                    "h100-sxm",
                    81_559,
                    "9.0",
                    50.0,
                    52.0,
                    2_800.0,
                    50.0),
                new BenchmarkStore.Measurement(
                    1,
                    "NVIDIA H100 80GB HBM3",
                    "h100-sxm",
                    81_559,
                    "9.0",
                    54.0,
                    55.0,
                    2_900.0,
                    52.0),
                new BenchmarkStore.Measurement(
                    2,
                    "NVIDIA H100 80GB HBM3",
                    "h100-sxm",
                    81_559,
                    "9.0",
                    55.0,
                    56.0,
                    3_000.0,
                    null)))
        .await();

    JsonObject sxm = get("/api/gpus/h100-sxm");
    assertThat(sxm.getString("fp32_tflops")).as("the catalog figure stays").isEqualTo("67.00");
    assertThat(sxm.getString("fp32_tflops_measured")).isEqualTo("51.000");
    assertThat(sxm.getString("fp32_tflops_source")).isEqualTo("measured");
    assertThat(sxm.getInteger("benchmarks")).isEqualTo(3);
    assertThat(sxm.getJsonObject("measured_bandwidth_gbs"))
        .isEqualTo(new JsonObject().put("h2d", "54.00").put("d2h", "55.00").put("d2d", "2900.00"));
    assertThat(sxm.getString("last_benchmarked_at")).isNotNull();
    assertThat(sxm.getJsonObject("market").getString("price_per_fp32_tflop"))
        .as("median 29000 / 51")
        .isEqualTo("568.63");

    JsonObject pcie = get("/api/gpus/h100-pcie");
    assertThat(pcie.getString("fp32_tflops_source")).isEqualTo("catalog");
    assertThat(pcie.getJsonObject("market").getString("price_per_fp32_tflop")).isEqualTo("488.28");

    JsonArray all = get("/api/gpus").getJsonArray("items");
    JsonObject listed =
        all.stream()
            .map(JsonObject.class::cast)
            .filter(g -> g.getString("slug").equals("h100-sxm"))
            .findFirst()
            .orElseThrow();
    assertThat(listed.getString("fp32_tflops_source")).isEqualTo("measured");
    assertThat(listed.getJsonObject("market").getString("price_per_fp32_tflop"))
        .isEqualTo("568.63");

    // The H100 SXM listings now divide by 51: they move behind the H100 PCIe, page boundaries
    // included.
    assertThat(pages("sort=price_per_tflop"))
        .containsExactly("a=19.3752", "b=488.2813", "d=549.0196", "c=588.2353");
    assertThat(pages("sort=price_per_tflop&kind=rental")).containsExactly("e=0.0392");
    assertThat(pages("sort=price_per_tflop&currency=EUR"))
        .containsExactly("a=19.3752", "b=488.2813", "d=549.0196", "c=588.2353");
    assertThat(
            get("/api/listings?gpu=h100-sxm&sort=price").getJsonArray("items").stream()
                .map(o -> ((JsonObject) o).getString("price_per_tflop"))
                .toList())
        .containsExactly("588.2353", "549.0196");
  }
}
