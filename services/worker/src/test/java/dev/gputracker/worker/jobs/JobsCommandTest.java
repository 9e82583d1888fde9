package dev.gputracker.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.jobs.cli.JobsCommand;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JobsCommandTest {
  private String databaseUrl;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  @BeforeEach
  void setUp() {
    DatabaseUrl url = TestDatabases.fresh();
    databaseUrl =
        "postgresql://"
            + url.user()
            + ":"
            + url.password()
            + "@"
            + url.host()
            + ":"
            + url.port()
            + "/"
            + url.database();
  }

  private int run(Map<String, String> env, String... args) throws Exception {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    return new JobsCommand(
            new Env(env),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(List.of(args));
  }

  private int run(String... args) throws Exception {
    return run(Map.of("DATABASE_URL", databaseUrl), args);
  }

  @Test
  @DisplayName(
      "submit, show (env names only, ISO times, its history), list and cancel work end to end")
  void roundTrip() throws Exception {
    assertThat(
            run(
                "submit",
                "--kind",
                "command",
                "--key",
                "k",
                "--priority",
                "5",
                "--env",
                "TOKEN=s3cret",
                "--",
                "echo",
                "hi"))
        .isZero();
    long id = new JsonObject(out.toString(StandardCharsets.UTF_8)).getLong("id");
    assertThat(run("submit", "--kind", "command", "--key", "k", "--", "echo", "hi")).isZero();
    assertThat(new JsonObject(out.toString(StandardCharsets.UTF_8)).getLong("id")).isEqualTo(id);
    assertThat(run("show", String.valueOf(id))).isZero();
    String shown = out.toString(StandardCharsets.UTF_8);
    JsonObject job = new JsonObject(shown);
    assertThat(job.getJsonArray("command").getList()).containsExactly("echo", "hi");
    assertThat(job.getInteger("priority")).isEqualTo(5);
    assertThat(job.getJsonArray("env_keys").getList()).containsExactly("TOKEN");
    assertThat(shown).doesNotContain("s3cret");
    assertThat(OffsetDateTime.parse(job.getString("created_at"))).isNotNull();
    assertThat(job.getJsonArray("history")).hasSize(1);
    assertThat(job.getJsonArray("history").getJsonObject(0).getString("to")).isEqualTo("queued");
    assertThat(OffsetDateTime.parse(job.getJsonArray("history").getJsonObject(0).getString("at")))
        .isNotNull();
    assertThat(run("list", "--state", "queued")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("command").contains("queued");
    assertThat(run("cancel", String.valueOf(id))).isZero();
    assertThat(run("cancel", String.valueOf(id))).isEqualTo(1);
    assertThat(run("show", "999999")).isEqualTo(1);
  }

  @Test
  @DisplayName("list pages newest first: a full page names the --before of the next")
  void listPages() throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      assertThat(run("submit", "--kind", "noop", "--key", "page-" + i)).isZero();
      ids.add(new JsonObject(out.toString(StandardCharsets.UTF_8)).getLong("id"));
    }
    assertThat(run("list", "--kind", "noop", "--limit", "2")).isZero();
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(1)).startsWith(ids.get(2) + " ");
    assertThat(lines.get(2)).startsWith(ids.get(1) + " ");
    assertThat(lines.get(2).substring(lines.get(2).lastIndexOf(' ') + 1))
        .matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
    assertThat(lines.get(3)).isEqualTo("more: jobs list --before " + ids.get(1));
    assertThat(run("list", "--kind", "noop", "--limit", "2", "--before", ids.get(1).toString()))
        .isZero();
    String rest = out.toString(StandardCharsets.UTF_8);
    assertThat(rest).contains(ids.get(0) + " ").doesNotContain("more:");
  }

  @Test
  @DisplayName("bad input and a missing DATABASE_URL give clear errors and exit code 2")
  void errors() throws Exception {
    assertThat(run(Map.of(), "list")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("DATABASE_URL");
    assertThat(run("submit", "--kind", "gpu-thing")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("kind must be one of");
    assertThat(run("submit", "--kind", "noop", "--timeout", "soon")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--timeout must be an integer");
    assertThat(run("show", "abc")).isEqualTo(2);
    assertThat(run("frobnicate")).isEqualTo(2);
  }
}
