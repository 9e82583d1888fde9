package dev.gputracker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.worker.testing.ApiStandIn;
import dev.gputracker.worker.testing.Sql;
import dev.gputracker.worker.testing.WorkerChild;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's first hour with {@code local}: its database URL printed, a second terminal scraping
 * into the running stack with one command, a second {@code local} told in one line, an ordered
 * quiet shutdown. The API is a stand-in ({@link ApiStandIn}): the real API jar is built after this
 * module.
 */
class LocalStackTest {
  private static final Pattern DATABASE_URL = Pattern.compile("PostgreSQL: (postgres://\\S+)");

  @Test
  @DisplayName(
      "a running local prints its database URL; `local --oneshot` from a second terminal scrapes into it, a"
          + " second `local` says in one line that one runs, and SIGTERM stops the API, then PostgreSQL, quietly")
  void secondTerminal(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("pg");
    Map<String, String> env =
        Map.of(
            "LOCAL_DATA_DIR",
            data.toString(),
            "API_JAR",
            ApiStandIn.jar(dir).toString(),
            "PORT",
            Integer.toString(freePort()));
    try (WorkerChild local = WorkerChild.start(null, env, "local")) {
      local.awaitOutput("Scrape again from another terminal: java -jar", 120);
      local.awaitOutput("api stand-in up", 30);
      Matcher url = DATABASE_URL.matcher(local.output());
      assertThat(url.find()).as(local.output()).isTrue();
      DatabaseUrl db = DatabaseUrl.parse("DATABASE_URL", url.group(1));

      try (WorkerChild second = WorkerChild.start(null, env, "local")) {
        assertThat(second.waitFor(60)).as(second.output()).isEqualTo(1);
        assertThat(second.output().strip())
            .as("one line, no stack trace")
            .startsWith("error: a local stack already runs on " + data.toAbsolutePath())
            .contains("local --oneshot")
            .doesNotContain("\n");
      }
      try (WorkerChild oneshot = WorkerChild.start(null, env, "local", "--oneshot")) {
        assertThat(oneshot.waitFor(120)).as(oneshot.output()).isZero();
        assertThat(oneshot.output())
            .contains("Scraping into the running local stack")
            .containsPattern("demo\\s+succeeded")
            .contains("Run 2 succeeded");
      }
      assertThat(Sql.count(db, "SELECT count(*) FROM scrape_runs WHERE status = 'succeeded'"))
          .isEqualTo(2);

      local.terminate();
      assertThat(local.waitFor(60)).isEqualTo(143);
      String out = local.output();
      String stopping = out.substring(out.indexOf("api stand-in up"));
      assertThat(stopping)
          .contains(
              "api stand-in stopped, its database still up",
              "Stopped the API",
              "Stopped PostgreSQL")
          .doesNotContain("Exception")
          .doesNotContain("57P01");
      assertThat(out.indexOf("Stopped the API")).isLessThan(out.indexOf("Stopped PostgreSQL"));
    }
    assertThat(Files.exists(data.resolve("gpu-tracker-local.json")))
        .as("the stack's record goes with it")
        .isFalse();
  }

  @Test
  @DisplayName("a data directory another process holds gets a one-line message, not a stack trace")
  void lockedDataDirectory(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("pg");
    try (EmbeddedDatabase holder = EmbeddedDatabase.start(data, 0);
        WorkerChild local =
            WorkerChild.start(
                null, Map.of("LOCAL_DATA_DIR", data.toString()), "local", "--no-api")) {
      assertThat(local.waitFor(60)).as(local.output()).isEqualTo(1);
      String lastLine = local.output().strip().lines().reduce((a, b) -> b).orElse("");
      assertThat(lastLine)
          .startsWith(
              "error: the data directory "
                  + data.toAbsolutePath()
                  + " is in use by another"
                  + " process")
          .contains("LOCAL_DATA_DIR");
      assertThat(local.output()).doesNotContain("\tat ").doesNotContain("Exception");
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
