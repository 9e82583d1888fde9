package dev.gputracker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.cli.ParseCommand;
import dev.gputracker.worker.testing.TestShop;
import dev.gputracker.worker.testing.TestShop.Answer;
import dev.gputracker.worker.testing.WorkerChild;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code probe}: one live page fetched as the source does, its listings, its verdict, and a
 * snapshot to parse.
 */
class ProbeTest {

  private static List<JsonObject> listings(String output) {
    return output
        .lines()
        .filter(l -> l.startsWith("{"))
        .map(JsonObject::new)
        .map(
            j -> {
              j.remove("file");
              return j;
            })
        .toList();
  }

  @Test
  @DisplayName(
      "probe --save prints the page's listings and saves page and headers; parse on the saved file prints"
          + " the same listings")
  void probeThenParse(@TempDir Path dir) throws Exception {
    try (TestShop shop = TestShop.start(2, 5)) {
      Path sources = WorkerChild.sourcesFile("shop", shop.baseUrl(), 5);
      List<JsonObject> probed;
      try (WorkerChild probe =
          WorkerChild.start(
              null,
              Map.of("SOURCES_FILE", sources.toString()),
              "probe",
              "shop",
              "--save",
              dir.toString())) {
        assertThat(probe.waitFor(60)).as(probe.output()).isZero();
        probed = listings(probe.output());
        assertThat(probe.output())
            .contains("verdict: 5 listings, 5 priced, 5 matched to a model")
            .contains("next page: " + shop.baseUrl() + "shop/search?page=2");
      }
      assertThat(probed).hasSize(5);
      Path body;
      try (Stream<Path> files = Files.list(dir)) {
        body = files.filter(p -> p.toString().endsWith(".body")).findFirst().orElseThrow();
      }
      String headers = Files.readString(Path.of(body.toString().replace(".body", ".headers")));
      assertThat(headers)
          .contains("Status: 200")
          .containsIgnoringCase("content-type: text/html; charset=utf-8");

      PrintStream stdout = System.out;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      int status;
      try {
        status =
            new ParseCommand()
                .run(
                    Env.system(),
                    List.of(
                        "--adapter",
                        "demo",
                        "--url",
                        shop.baseUrl() + "shop/search",
                        body.toString()));
      } finally {
        System.setOut(stdout);
      }
      assertThat(status).isZero();
      assertThat(listings(captured.toString(StandardCharsets.UTF_8))).isEqualTo(probed);
    }
  }

  @Test
  @DisplayName(
      "probe judges the page against the source's recent runs: ok, then suspect when the prices vanish")
  void probeVerdict() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (TestShop shop = TestShop.start(2, 5)) {
      Path sources = WorkerChild.sourcesFile("shop", shop.baseUrl(), 5);
      Map<String, String> env = Map.of("SOURCES_FILE", sources.toString());
      try (WorkerChild run =
          WorkerChild.start(
              db, Map.of("WORKER_MODE", "oneshot", "SOURCES_FILE", sources.toString()))) {
        assertThat(run.waitFor(60)).as(run.output()).isZero();
      }
      try (WorkerChild probe = WorkerChild.start(db, env, "probe", "shop")) {
        assertThat(probe.waitFor(60)).as(probe.output()).isZero();
        assertThat(probe.output())
            .contains(
                "verdict: ok (5 listings, 5 priced, 5 matched to a model; against 1"
                    + " recent complete run)");
      }
      shop.answer(Answer.NO_PRICES);
      try (WorkerChild probe = WorkerChild.start(db, env, "probe", "shop")) {
        assertThat(probe.waitFor(60)).as(probe.output()).isEqualTo(2);
        assertThat(probe.output())
            .contains("verdict: suspect: the share of listings priced fell to 0 %");
      }
    }
  }
}
