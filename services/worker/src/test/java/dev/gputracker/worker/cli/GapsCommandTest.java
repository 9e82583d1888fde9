package dev.gputracker.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.normalize.TitleNormalizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code gaps} over a real PostgreSQL holding rejects written with the normaliser's own details.
 */
class GapsCommandTest {
  @Test
  @DisplayName(
      "gaps lists unknown-model rejects grouped by their unplaced words, most frequent first, with the nearest model")
  void gaps() throws Exception {
    DatabaseUrl url = TestDatabases.fresh();
    TitleNormalizer normalizer = new TitleNormalizer(GpuCatalog.load());
    List<String> titles =
        List.of(
            "NVIDIA CMP 170HX 8GB",
            "CMP 170HX mining card 8GB",
            "GeForce GTX 1090 8GB",
            "Lenovo Legion 5 RTX 3060 laptop");
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
      c.createStatement()
          .execute(
              "INSERT INTO sources (name, adapter, base_url) VALUES ('olx', 'olx', 'http://olx/')");
      PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO rejected_listings (source_id, external_id, title,"
                  + " reason, detail, first_seen_at, last_seen_at) VALUES (1, ?, ?, ?, ?, now(), now())");
      for (int i = 0; i < titles.size(); i++) {
        var n = normalizer.normalize(titles.get(i));
        insert.setString(1, "id" + i);
        insert.setString(2, titles.get(i));
        insert.setString(3, n.reason().dbValue());
        insert.setString(4, n.detail());
        insert.executeUpdate();
      }
    }
    String db =
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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new GapsCommand(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(new Env(Map.of("DATABASE_URL", db)), List.of("--source", "olx"));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).matches("\\s+2\\s+1\\s+cmp 170 hx\\s+\\S+\\s+.*8GB");
    assertThat(lines.get(2)).matches("\\s+1\\s+1\\s+gtx 1090\\s+gtx-1080\\s+GeForce GTX 1090 8GB");
    assertThat(
            new GapsCommand(new PrintStream(out), new PrintStream(err))
                .run(new Env(Map.of()), List.of()))
        .as("no DATABASE_URL")
        .isEqualTo(2);
    assertThat(
            new GapsCommand(new PrintStream(out), new PrintStream(err))
                .run(new Env(Map.of("DATABASE_URL", db)), List.of("--limit", "lots")))
        .isEqualTo(2);
  }
}
