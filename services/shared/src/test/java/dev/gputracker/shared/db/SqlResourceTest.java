package dev.gputracker.shared.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SqlResourceTest {

  @Test
  @DisplayName("a statement is read from its file beside the anchor class, placeholders filled")
  void loadsAndFills() {
    String sql =
        SqlResource.load(
            SqlResourceTest.class, "sql_resource_test.sql", Map.of("outbox:test.event", "1 AS x"));
    assertThat(sql).isEqualTo("SELECT 1 AS x FROM t\n");
  }

  @Test
  @DisplayName("the header never reaches the server: the statement starts after the -- lines")
  void stripsTheHeader() {
    assertThat(SqlResource.withoutHeader("-- what\n-- $1 int: x\n\nSELECT $1\n\n\n"))
        .isEqualTo("SELECT $1\n");
    assertThat(SqlResource.withoutHeader("-- what\nSELECT 1 -- inner comment stays"))
        .isEqualTo("SELECT 1 -- inner comment stays\n");
  }

  @Test
  @DisplayName("a file with a header and no statement fails, naming it")
  void headerOnlyFails() {
    assertThatThrownBy(() -> SqlResource.load(SqlResourceTest.class, "header_only.sql"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "SQL resource dev/gputracker/shared/db/header_only.sql holds a header but no statement");
  }

  @Test
  @DisplayName("a missing file fails, naming its path and the class that loads it")
  void missingFileFails() {
    assertThatThrownBy(() -> SqlResource.load(SqlResourceTest.class, "no_such_statement.sql"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "SQL resource dev/gputracker/shared/db/no_such_statement.sql is missing (loaded for "
                + SqlResourceTest.class.getName()
                + ")");
  }

  @Test
  @DisplayName("a placeholder nothing fills fails, and so does a fill with no placeholder")
  void placeholdersAndFillsMustMatch() {
    assertThatThrownBy(() -> SqlResource.load(SqlResourceTest.class, "sql_resource_test.sql"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/*outbox:test.event*/ but nothing fills it");
    assertThatThrownBy(
            () ->
                SqlResource.load(
                    SqlResourceTest.class,
                    "sql_resource_test.sql",
                    Map.of("outbox:test.event", "1", "outbox:other.event", "2")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no placeholder for [outbox:other.event]");
  }
}
