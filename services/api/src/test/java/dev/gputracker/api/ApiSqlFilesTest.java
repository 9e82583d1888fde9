package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The API's named SQL files: read without their header, each documented, a missing one named. */
class ApiSqlFilesTest {
  private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)\\b");

  @Test
  @DisplayName("a statement is its file without the header, ending in one line break")
  void readsTheStatementWithoutItsHeader() {
    String job = ApiSqlFiles.load("jobs/job.sql");
    assertThat(job).startsWith("SELECT id, kind, image, command").endsWith("WHERE id = $1\n");
    assertThat(job).doesNotContain("--");
    assertThat(ApiSqlFiles.withoutHeader("-- what\n-- $1 int: x\n\nSELECT $1\n\n\n"))
        .isEqualTo("SELECT $1\n");
    assertThat(ApiSqlFiles.withoutHeader("-- what\nSELECT 1 -- inner comment stays"))
        .isEqualTo("SELECT 1 -- inner comment stays\n");
  }

  @Test
  @DisplayName("a missing file stops with an error naming it; so does one with a header only")
  void missingFileIsAClearError() {
    assertThatThrownBy(() -> ApiSqlFiles.load("listings/no_such_statement.sql"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "SQL resource dev/gputracker/api/listings/no_such_statement.sql is missing from the"
                + " API's class path");
    // A test resource (src/test/resources/dev/gputracker/api/header_only.sql).
    assertThatThrownBy(() -> ApiSqlFiles.load("header_only.sql"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "SQL resource dev/gputracker/api/header_only.sql holds a header but no statement");
  }

  @Test
  @DisplayName("every SQL file opens with a header that names each $n parameter its statement uses")
  void everyFileDocumentsItsParameters() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(resources())) {
      files = walk.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(19);
    for (Path file : files) {
      String text = Files.readString(file);
      String statement = ApiSqlFiles.withoutHeader(text);
      String header = text.substring(0, text.indexOf(statement.strip()));
      assertThat(header).as(file.toString()).startsWith("-- ");
      Set<String> used = new TreeSet<>();
      Matcher m = PARAMETER.matcher(statement);
      while (m.find()) {
        used.add(m.group());
      }
      for (String parameter : used) {
        assertThat(header)
            .as(file + " documents " + parameter)
            .containsPattern("(?m)^-- \\" + parameter + "( to \\$n)?[ :]");
      }
    }
  }

  /** The API's compiled main resources for its root package (not the test resources). */
  private static Path resources() throws URISyntaxException {
    return Path.of(ApiSqlFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("dev/gputracker/api");
  }
}
