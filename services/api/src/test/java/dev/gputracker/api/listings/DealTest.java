package dev.gputracker.api.listings;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DealTest {
  private static final BigDecimal MEDIAN = new BigDecimal("1000.00");

  @Test
  @DisplayName(
      "the distance per GPU from the median, in percent with one decimal rounded half away from zero"
          + " (as PostgreSQL's round), and none for rentals, unpriced listings or a model without a median")
  void distance() {
    assertThat(Deal.vsMedianPct("sale", "820.0000", 1, MEDIAN)).isEqualByComparingTo("-18.0");
    assertThat(Deal.vsMedianPct("sale", "1000.5000", 1, MEDIAN)).hasToString("0.1");
    assertThat(Deal.vsMedianPct("sale", "999.5000", 1, MEDIAN)).hasToString("-0.1");
    assertThat(Deal.vsMedianPct("sale", "1000.4999", 1, MEDIAN)).hasToString("0.0");
    assertThat(Deal.vsMedianPct("sale", "1000.0000", 3, MEDIAN))
        .as("a third of the offer a GPU")
        .hasToString("-66.7");
    assertThat(Deal.vsMedianPct("sale", "2400.0000", 2, new BigDecimal("1350.00")))
        .hasToString("-11.1");
    assertThat(Deal.vsMedianPct("rental", "2.49", 1, MEDIAN)).isNull();
    assertThat(Deal.vsMedianPct("sale", null, 1, MEDIAN)).isNull();
    assertThat(Deal.vsMedianPct("sale", "800", 1, null)).isNull();
  }
}
