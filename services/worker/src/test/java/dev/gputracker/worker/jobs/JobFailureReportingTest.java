package dev.gputracker.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.observability.ErrorReporting;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.jobs.executors.CommandExecutor;
import dev.gputracker.worker.jobs.executors.NoopExecutor;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.jobs.queue.JobSpec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A failed job reaches Sentry: the real SDK, sending to a local HTTP server standing in for
 * Sentry's ingestion.
 */
class JobFailureReportingTest {

  @Test
  @DisplayName(
      "a failed job is reported to Sentry with its id, kind and state; a succeeded one is not")
  void failedJobReported() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<String> envelopes = new CopyOnWriteArrayList<>();
    HttpServer sentry =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              byte[] bytes = body.getBytes();
                              if ("gzip".equalsIgnoreCase(req.getHeader("content-encoding"))) {
                                try (GZIPInputStream in =
                                    new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                                  bytes = in.readAllBytes();
                                } catch (IOException e) {
                                  throw new IllegalStateException(e);
                                }
                              }
                              envelopes.add(new String(bytes, StandardCharsets.UTF_8));
                              req.response().end("{}");
                            }))
            .listen(0, "127.0.0.1")
            .await();
    try {
      ErrorReporting.init(
          new Env(Map.of("SENTRY_DSN", "http://public@127.0.0.1:" + sentry.actualPort() + "/7")),
          "worker");
      DatabaseUrl db = TestDatabases.fresh();
      Pool pool = Database.pool(vertx, db, "job-reporting", 4);
      JobQueue queue = new JobQueue(pool);
      long failed = queue.submit(JobSpec.command(List.of("/bin/false"), 30)).await();
      queue.submit(JobSpec.noop()).await();
      JobRunner runner =
          new JobRunner(
              vertx,
              queue,
              new JobRunner.Settings("reporting", 4, GpuSlots.none(), 30, 30_000),
              List.of(new NoopExecutor(), new CommandExecutor(vertx, true, 4096)));
      assertThat(runner.runQueuedNow().await()).isEqualTo(2);
      ErrorReporting.flush(Duration.ofSeconds(10));
      String all = String.join("\n", envelopes);
      assertThat(all)
          .contains("job " + failed + " (command) failed")
          .contains("\"job_kind\":\"command\"")
          .contains("\"job_state\":\"failed\"")
          .contains("\"job_id\":\"" + failed + "\"")
          .doesNotContain("(noop)");
    } finally {
      ErrorReporting.close();
      vertx.close().await();
    }
  }
}
