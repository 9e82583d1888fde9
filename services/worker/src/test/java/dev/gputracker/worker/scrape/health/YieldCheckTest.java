package dev.gputracker.worker.scrape.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.config.SourceConfig.HealthSettings;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The yield check tells a market that shrank from a page that broke")
class YieldCheckTest {
  private static final HealthSettings DEFAULTS = HealthSettings.defaults();

  /** Five runs of 3 full pages of 10, all priced, 9 in 10 matched to a model. */
  private static final Baseline STEADY =
      new Baseline(
          List.of(
              new YieldFigures(30, 30, 27, 3, 10),
              new YieldFigures(30, 30, 27, 3, 10),
              new YieldFigures(31, 31, 28, 3, 11),
              new YieldFigures(29, 29, 26, 3, 9),
              new YieldFigures(30, 30, 27, 3, 10)));

  @Test
  @DisplayName("a new source's first run is trusted unless it reads nothing")
  void firstRun() {
    assertThat(
            YieldCheck.judge(new YieldFigures(3, 0, 0, 1, 3), new Baseline(List.of()), DEFAULTS, 5))
        .isEmpty();
    assertThat(
            YieldCheck.judge(new YieldFigures(0, 0, 0, 1, 0), new Baseline(List.of()), DEFAULTS, 5))
        .contains("read no listings at all");
  }

  @Test
  @DisplayName("a 30 % shrink stays ok; an 80 % one is suspect, and the threshold is the source's")
  void shrink() {
    assertThat(YieldCheck.judge(new YieldFigures(21, 21, 19, 3, 7), STEADY, DEFAULTS, 5)).isEmpty();
    assertThat(YieldCheck.judge(new YieldFigures(6, 6, 5, 3, 2), STEADY, DEFAULTS, 5))
        .contains(
            "listings read fell to 6 from a median of 30 over the last 5 complete runs (below 50 %)");
    assertThat(
            YieldCheck.judge(
                new YieldFigures(21, 21, 19, 3, 7), STEADY, new HealthSettings(0.8, 0.5, 5), 5))
        .hasValueSatisfying(r -> assertThat(r).contains("below 80 %"));
  }

  @Test
  @DisplayName("cards that lost their prices, or titles no longer matched to a model, are suspect")
  void shares() {
    assertThat(YieldCheck.judge(new YieldFigures(30, 0, 27, 3, 10), STEADY, DEFAULTS, 5))
        .contains("the share of listings priced fell to 0 % from a median of 100 %");
    assertThat(YieldCheck.judge(new YieldFigures(30, 30, 3, 3, 10), STEADY, DEFAULTS, 5))
        .contains("the share of listings matched to a model fell to 10 % from a median of 90 %");
    assertThat(YieldCheck.judge(new YieldFigures(30, 20, 27, 3, 10), STEADY, DEFAULTS, 5))
        .as("a third unpriced")
        .isEmpty();
  }

  @Test
  @DisplayName(
      "pagination cut after a full page 1 of 3 is suspect; a market that shrank to fewer pages is not")
  void pagination() {
    assertThat(YieldCheck.judge(new YieldFigures(20, 20, 18, 2, 10), STEADY, DEFAULTS, 5))
        .contains(
            "pagination ended after page 2, a full page without a next link, where the recent runs reached"
                + " page 3 (page_limit allows 5)");
    assertThat(YieldCheck.judge(new YieldFigures(16, 16, 14, 2, 6), STEADY, DEFAULTS, 5))
        .as("a partial last page")
        .isEmpty();
    assertThat(YieldCheck.judge(new YieldFigures(20, 20, 18, 2, 10), STEADY, DEFAULTS, 2))
        .as("page_limit reached")
        .isEmpty();
  }
}
