package dev.gputracker.worker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.jobs.queue.JobSpec;
import dev.gputracker.worker.scrape.RunReport;
import dev.gputracker.worker.scrape.model.SourceReport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OpsServerTest {
  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private int start(DatabaseUrl db, WorkerMetrics metrics) {
    Pool pool = Database.pool(vertx, db, "ops-test", 2);
    OpsServer ops = new OpsServer(0, pool, metrics.registry());
    vertx.deployVerticle(ops).await();
    return ops.port();
  }

  private HttpResponse<Buffer> get(int port, String path) {
    return client.get(port, "127.0.0.1", path).send().await();
  }

  @Test
  @DisplayName(
      "/health is 200 while the database answers and /metrics shows the scrape figures per source")
  void healthyAndMetrics() {
    WorkerMetrics metrics = new WorkerMetrics();
    int port = start(TestDatabases.fresh(), metrics);
    HttpResponse<Buffer> health = get(port, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("status", "healthy").put("database", "connected"));

    metrics.onPage("shop", 1, 24, 20, 3, 1);
    metrics.onPageError("shop", "http://x/", "boom");
    metrics.onSourceDone(
        new SourceReport("shop", "failed", 1, 24, 20, 3, 2, 1, 1, "boom", Duration.ofMillis(1500)));
    String body = get(port, "/metrics").bodyAsString();
    assertThat(body)
        .contains("gpu_tracker_pages_fetched_total{source=\"shop\"} 1.0")
        .contains("gpu_tracker_listings_total{change=\"new\",source=\"shop\"} 20.0")
        .contains("gpu_tracker_listings_total{change=\"removed\",source=\"shop\"} 2.0")
        .contains("gpu_tracker_page_errors_total{source=\"shop\"} 1.0")
        .contains("gpu_tracker_source_duration_seconds_count{source=\"shop\",status=\"failed\"} 1");
  }

  @Test
  @DisplayName("/metrics shows jobs by state, the queue depth and run durations")
  void jobAndRunMetrics() {
    DatabaseUrl db = TestDatabases.fresh();
    WorkerMetrics metrics = new WorkerMetrics();
    int port = start(db, metrics);
    Pool pool = Database.pool(vertx, db, "ops-jobs", 2);
    var queue = new JobQueue(pool);
    queue.submit(JobSpec.noop()).await();
    queue.submit(JobSpec.noop()).await();
    metrics.watchJobs(vertx, pool).await();
    metrics.onRunDone(new RunReport(1, "succeeded", List.of()), Duration.ofSeconds(3));
    String body = get(port, "/metrics").bodyAsString();
    assertThat(body)
        .contains("gpu_tracker_jobs{state=\"queued\"} 2.0")
        .contains("gpu_tracker_jobs{state=\"running\"} 0.0")
        .contains("gpu_tracker_job_queue_depth 2.0")
        .contains("gpu_tracker_run_duration_seconds_count{status=\"succeeded\"} 1");
  }

  @Test
  @DisplayName("/health is 503 with a reason when the database is away")
  void unhealthy() {
    int port =
        start(
            DatabaseUrl.parse("DATABASE_URL", "postgres://u:p@127.0.0.1:9/nowhere"),
            new WorkerMetrics());
    HttpResponse<Buffer> health = get(port, "/health");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.bodyAsJsonObject().getString("database")).isEqualTo("unreachable");
    assertThat(health.bodyAsJsonObject().getString("reason")).isNotBlank();
  }
}
