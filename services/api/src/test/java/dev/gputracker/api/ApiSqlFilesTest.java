package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.db.SqlResource;
import dev.gputracker.shared.testing.SqlFiles;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The API's named SQL files: read without their header, each one documented. */
class ApiSqlFilesTest {

  @Test
  @DisplayName("a statement is its file without the header, ending in one line break")
  void readsTheStatementWithoutItsHeader() {
    String run = SqlResource.load(ApiSql.class, "runs/run.sql");
    assertThat(run).startsWith("SELECT id, worker_id, mode").endsWith("WHERE id = $1\n");
    assertThat(run).doesNotContain("--");
  }

  @Test
  @DisplayName("every SQL file opens with a header that names each $n parameter its statement uses")
  void everyFileDocumentsItsParameters() throws Exception {
    assertThat(SqlFiles.assertDocumented(ApiSql.class)).isGreaterThanOrEqualTo(16);
  }
}
