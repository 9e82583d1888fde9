package dev.gputracker.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.testing.SqlFiles;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The worker's named SQL files, beside the classes that run them. */
class WorkerSqlFilesTest {

  @Test
  @DisplayName("every SQL file opens with a header that names each $n parameter its statement uses")
  void everyFileDocumentsItsParameters() throws Exception {
    assertThat(SqlFiles.assertDocumented(WorkerMain.class)).isGreaterThanOrEqualTo(25);
  }
}
