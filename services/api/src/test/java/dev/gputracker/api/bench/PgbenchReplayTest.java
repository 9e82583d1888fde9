package dev.gputracker.api.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.listings.SearchStatements;
import io.vertx.core.MultiMap;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The statement {@code bench/api-load.sh} hands pgbench is the API's own, with its parameters
 * filled in.
 */
class PgbenchReplayTest {

  @Test
  @DisplayName(
      "pgbench replays the API's listing search: same text, chosen parameters as pgbench variables, the rest as literals")
  void replaysTheApiStatement() {
    MultiMap q =
        MultiMap.caseInsensitiveMultiMap()
            .add("gpu", "gpu-marker")
            .add("max_price", "1")
            .add("condition", "used");
    Map.Entry<String, Tuple> statement = SearchStatements.of(q);
    String replay =
        ApiLoadBench.pgbenchStatement(
            statement, Map.of("gpu-marker", "(ARRAY['a', 'b'])[:g]", "1", ":p"));

    assertThat(replay)
        .doesNotContainPattern("\\$\\d")
        .contains("l.gpu_slug = (ARRAY['a', 'b'])[:g]")
        .contains("(SELECT :p::text::numeric)")
        .contains("l.condition = 'used'");
    // Everything else is the API's text, whitespace aside.
    String api = statement.getKey().replaceAll("\\s+", " ").trim();
    assertThat(
            replay
                .replace("(ARRAY['a', 'b'])[:g]", "$1")
                .replace(":p", "$3")
                .replace("'used'", "$2"))
        .isEqualTo(api);
  }
}
