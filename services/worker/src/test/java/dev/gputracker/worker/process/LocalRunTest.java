package dev.gputracker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.worker.testing.Sql;
import dev.gputracker.worker.testing.WorkerChild;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's run command, minus the API: embedded PostgreSQL, the demo marketplace, one run; twice.
 */
class LocalRunTest {

  @Test
  @DisplayName(
      "two local runs reuse one embedded database, so price history accumulates across runs; with the ECB"
          + " host unreachable the bundled rates stand in and the run exits 0")
  void localRunsAccumulateHistory(@TempDir Path dir) throws Exception {
    // RFC 6761's .invalid never resolves: the ECB host is unreachable here whether or not this
    // machine is online.
    Map<String, String> env =
        Map.of(
            "LOCAL_DATA_DIR",
            dir.resolve("pg").toString(),
            "SOURCE_ECB_RATES_BASE_URL",
            "https://ecb.gpu-tracker-test.invalid/eurofxref-daily.xml");
    try (WorkerChild first = WorkerChild.start(null, env, "local", "--no-api")) {
      assertThat(first.waitFor(120)).as(first.output()).isZero();
      assertThat(first.output())
          .containsPattern("demo\\s+succeeded")
          .containsPattern("demo-cloud\\s+succeeded")
          .containsPattern("ecb-rates\\s+stale")
          .contains("unknown host ecb.gpu-tracker-test.invalid")
          .contains("converting with the bundled ECB rates of 2024-12-31")
          .doesNotContain("disallows it");
    }
    try (WorkerChild second = WorkerChild.start(null, env, "local", "--no-api")) {
      assertThat(second.waitFor(120)).as(second.output()).isZero();
    }
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start(dir.resolve("pg"), 0)) {
      DatabaseUrl db = postgres.url("gpu_tracker");
      assertThat(Sql.count(db, "SELECT count(*) FROM scrape_runs WHERE status = 'succeeded'"))
          .isEqualTo(2);
      long listings = Sql.count(db, "SELECT count(*) FROM listings");
      assertThat(listings).isPositive();
      assertThat(Sql.count(db, "SELECT count(*) FROM price_history"))
          .as("the second market day moved some prices")
          .isGreaterThan(listings);
      assertThat(
              (String)
                  Sql.single(
                      db,
                      "SELECT health || ': ' || health_reason FROM sources"
                          + " WHERE name = 'ecb-rates'"))
          .startsWith("failing: rates not refreshed")
          .contains("unknown host");
      assertThat(
              Sql.count(
                  db,
                  "SELECT count(*) FROM outbox WHERE type = 'source.health_changed'"
                      + " AND data->>'source' = 'ecb-rates'"))
          .as("one event for the change, none for the second run")
          .isEqualTo(1);
    }
  }
}
