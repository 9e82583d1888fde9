package dev.gputracker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.testing.TestShop;
import dev.gputracker.worker.testing.WorkerChild;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StructuredLogsTest {

  @Test
  @DisplayName(
      "LOG_FORMAT=json writes one JSON object per line, and run lines carry the run id as a key-value pair")
  void jsonLogsWithRunId() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (TestShop shop = TestShop.start(1, 3)) {
      Map<String, String> env =
          Map.of(
              "WORKER_MODE",
              "oneshot",
              "LOG_FORMAT",
              "json",
              "SOURCES_FILE",
              WorkerChild.sourcesFile("shop", shop.baseUrl(), 5).toString());
      try (WorkerChild worker = WorkerChild.start(db, env)) {
        assertThat(worker.waitFor(90)).as(worker.output()).isZero();
        List<JsonObject> logs =
            worker.output().lines().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
        assertThat(logs).isNotEmpty();
        assertThat(logs).allSatisfy(l -> assertThat(l.getString("level")).isNotBlank());
        JsonObject started =
            logs.stream()
                .filter(
                    l ->
                        String.valueOf(l.getString("formattedMessage"))
                            .matches("Run \\d+ started.*"))
                .findFirst()
                .orElseThrow();
        assertThat(started.encode()).contains("\"run_id\"");
      }
    }
  }
}
