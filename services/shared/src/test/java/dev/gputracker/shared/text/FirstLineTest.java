package dev.gputracker.shared.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FirstLineTest {
  @Test
  @DisplayName(
      "keeps the first line, trimmed and bounded; a failure without a message is named by its class")
  void firstLine() {
    assertThat(FirstLine.of("  bad token at 3\n  at line 1\n")).isEqualTo("bad token at 3");
    assertThat(FirstLine.of("one\r\ntwo")).isEqualTo("one");
    assertThat(FirstLine.of((String) null)).isEmpty();
    assertThat(FirstLine.of("x".repeat(300))).hasSize(FirstLine.MAX + 1).endsWith("…");
    assertThat(FirstLine.of(new IOException("Connection refused\ncaused by ...")))
        .isEqualTo("Connection refused");
    assertThat(FirstLine.of(new IllegalStateException())).isEqualTo("IllegalStateException");
    assertThat(FirstLine.of(new IllegalStateException("\n"))).isEqualTo("IllegalStateException");
  }
}
