package dev.gputracker.worker.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PageBatchTest {

  @Test
  @DisplayName(
      "the batch binds its columns in the order the page write unnests them, for listings and rejects")
  void columnsFollowTheStatement() {
    Matcher unnested =
        Pattern.compile("WITH ORDINALITY AS t\\(([^)]*), ord\\)").matcher(WorkerSql.WRITE_PAGE);
    List<List<String>> lists = new ArrayList<>();
    while (unnested.find()) {
      lists.add(Arrays.asList(unnested.group(1).trim().split("\\s*,\\s*")));
    }
    assertThat(lists).hasSize(2);
    assertThat(PageBatch.listingColumns()).isEqualTo(lists.get(0));
    assertThat(PageBatch.rejectedColumns()).isEqualTo(lists.get(1));
  }
}
