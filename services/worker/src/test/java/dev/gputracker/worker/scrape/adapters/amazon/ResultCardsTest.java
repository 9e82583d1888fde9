package dev.gputracker.worker.scrape.adapters.amazon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ResultCardsTest {
  @Test
  @DisplayName(
      "a class attribute contains the needle in any case, anywhere, including at its very end")
  void containsIgnoreCase() {
    String needle = "sponsored-label";
    assertThat(ResultCards.containsIgnoreCase("a-row puis-sponsored-label-text", needle)).isTrue();
    assertThat(ResultCards.containsIgnoreCase("PUIS-SPONSORED-LABEL", needle)).isTrue();
    assertThat(ResultCards.containsIgnoreCase("x Sponsored-Label", needle)).isTrue();
    assertThat(ResultCards.containsIgnoreCase("ssssponsored-label", needle)).isTrue();
    assertThat(ResultCards.containsIgnoreCase("s-sponsored-labe", needle)).isFalse();
    assertThat(ResultCards.containsIgnoreCase("sponsored label", needle)).isFalse();
    assertThat(ResultCards.containsIgnoreCase("", needle)).isFalse();
  }
}
