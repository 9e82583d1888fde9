package dev.gputracker.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.config.FallbackRates;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.config.WorkerMode;
import dev.gputracker.worker.scrape.ProgressListener;
import dev.gputracker.worker.scrape.RunReport;
import dev.gputracker.worker.testing.Sql;
import dev.gputracker.worker.testing.TestShop;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The daemon's schedule against a real PostgreSQL and a real HTTP shop that holds a page's response
 * until the test releases it, so "mid-run" is exact.
 */
class ScrapeScheduleTest {
  private static final int PER_PAGE = 4;
  private DatabaseUrl db;
  private WorkerRuntime runtime;

  @BeforeEach
  void setUp() {
    db = TestDatabases.fresh();
    runtime =
        WorkerRuntime.start(
            new WorkerConfig(
                db,
                WorkerMode.DAEMON,
                Duration.ofHours(1),
                List.of(),
                "schedule-test",
                4,
                Duration.ofSeconds(20),
                0,
                FallbackRates.from(new Env(Map.of()))));
  }

  @AfterEach
  void tearDown() {
    runtime.close();
  }

  private static SourceConfig shop(String baseUrl) {
    SourceConfig.FetchSettings d = SourceConfig.FetchSettings.defaults();
    // A held page must not end the run through the read timeout.
    SourceConfig.FetchSettings patient =
        new SourceConfig.FetchSettings(
            List.of(),
            true,
            200,
            0,
            Duration.ofSeconds(2),
            Duration.ofMinutes(5),
            0,
            d.maxBodyBytes(),
            Optional.empty());
    return new SourceConfig(
        "shop", "demo", URI.create(baseUrl), true, 10, patient, new JsonObject());
  }

  private ScrapeSchedule schedule(TestShop shop, ProgressListener progress) {
    return new ScrapeSchedule(
        runtime.engine(),
        List.of(shop(shop.baseUrl())),
        progress,
        Duration.ofHours(1),
        Duration.ofSeconds(20));
  }

  @Test
  @DisplayName(
      "deployed, the schedule runs at once, then waits for the interval; undeployed, it stops")
  void runsAtOnceThenWaits() throws Exception {
    try (TestShop shop = TestShop.start(2, PER_PAGE)) {
      CompletableFuture<RunReport> done = new CompletableFuture<>();
      ScrapeSchedule schedule =
          schedule(
              shop,
              new ProgressListener() {
                @Override
                public void onRunDone(RunReport report, Duration took) {
                  done.complete(report);
                }
              });
      Future<String> deployment = runtime.deploy(schedule);
      deployment.await();
      assertThat(done.get(60, TimeUnit.SECONDS).status()).isEqualTo("succeeded");
      runtime.undeploy(deployment).await();
      assertThat(schedule.phase()).isEqualTo(ScrapeSchedule.Phase.STOPPED);
      assertThat(Sql.count(db, "SELECT count(*) FROM scrape_runs"))
          .as("one run, no second")
          .isOne();
      assertThat(Sql.count(db, "SELECT count(*) FROM listings")).isEqualTo(2 * PER_PAGE);
    }
  }

  @Test
  @DisplayName(
      "undeployed mid-run, the schedule starts no more runs; the run finishes the page in flight and is recorded interrupted")
  void stopMidRun() throws Exception {
    try (TestShop shop = TestShop.start(3, PER_PAGE)) {
      shop.hold(2);
      ScrapeSchedule schedule = schedule(shop, ProgressListener.NONE);
      Future<String> deployment = runtime.deploy(schedule);
      deployment.await();
      shop.requested(2).get(60, TimeUnit.SECONDS);
      assertThat(schedule.phase()).isEqualTo(ScrapeSchedule.Phase.RUNNING);
      Future<Void> stopped = runtime.undeploy(deployment);
      assertThat(stopped.isComplete()).as("waits for the page in flight").isFalse();
      shop.release(2);
      stopped.await();
      assertThat(schedule.phase()).isEqualTo(ScrapeSchedule.Phase.STOPPED);
      assertThat(Sql.single(db, "SELECT string_agg(status, ',') FROM scrape_runs"))
          .isEqualTo("interrupted");
      assertThat(Sql.count(db, "SELECT count(*) FROM listings"))
          .as("pages 1 and 2, the one in flight, written whole; page 3 never fetched")
          .isEqualTo(2 * PER_PAGE);
    }
  }
}
