package dev.gputracker.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The one parser of client numbers and times: bounded before anything big is built, ASCII digits
 * only.
 */
class BoundedTest {
  private static final BigDecimal MAX = new BigDecimal("1000000000");

  @Test
  @DisplayName("huge and tiny exponents are refused before a BigDecimal is built, in microseconds")
  void exponents() {
    for (String raw :
        new String[] {"1e-999999999", "1e1000000", "1e-16384", "1E99", "5e21", "1e", "1e+", "e5"}) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> Bounded.decimal("max_price", raw, BigDecimal.ZERO, MAX, 4))
          .as(raw)
          .isInstanceOf(Problem.class)
          .hasMessageContaining("max_price");
      assertThat(System.nanoTime() - start).as(raw).isLessThan(50_000_000L);
    }
    assertThat(Bounded.decimal("max_price", "5e2", BigDecimal.ZERO, MAX, 4))
        .isEqualByComparingTo("500");
    assertThat(Bounded.decimal("max_price", "2.5E+1", BigDecimal.ZERO, MAX, 4))
        .isEqualByComparingTo("25");
    assertThat(Bounded.decimal("max_price", "499.9900", BigDecimal.ZERO, MAX, 4).toPlainString())
        .isEqualTo("499.99");
  }

  @Test
  @DisplayName(
      "only ASCII digits count: Arabic-Indic, full-width, signs, spaces and underscores are refused")
  void asciiOnly() {
    for (String raw :
        new String[] {
          "\u0663\u0660\u0660",
          "\uff15",
          "+5",
          "-5",
          " 5",
          "5 ",
          "1_000",
          "0x10",
          "NaN",
          "Infinity",
          "",
          ".",
          "5.",
          ".5.",
          "1,5"
        }) {
      assertThat(Bounded.parseLong(raw)).as(raw).isNull();
      if (!raw.equals("5.")) {
        assertThat(Bounded.parseDecimal(raw)).as(raw).isNull();
      }
    }
    assertThat(Bounded.parseDecimal("5.")).isEqualByComparingTo("5");
    assertThat(Bounded.parseDecimal(".5")).isEqualByComparingTo("0.5");
    assertThat(Bounded.parseLong("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(Bounded.parseLong("9223372036854775808")).isNull();
    assertThat(Bounded.parseLong("00000000000000000001")).as("over 19 characters").isNull();
  }

  @Test
  @DisplayName("out of range is a 400 that names the parameter and says the range")
  void ranges() {
    assertThatThrownBy(() -> Bounded.integer("days", "3651", 1, 3650))
        .isInstanceOf(Problem.class)
        .hasMessage("days is out of range: it must be between 1 and 3650, got 3651")
        .satisfies(
            e -> assertThat(((Problem) e).toJson(null).getString("parameter")).isEqualTo("days"));
    assertThatThrownBy(() -> Bounded.integer("limit", "99999999999999999999", 1, 200))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> Bounded.integer("limit", "ten", 1, 200))
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> Bounded.decimal("min_price", "1000000001", BigDecimal.ZERO, MAX, 4))
        .hasMessageContaining("between 0 and 1000000000");
    assertThatThrownBy(() -> Bounded.decimal("min_price", "0.00001", BigDecimal.ZERO, MAX, 4))
        .hasMessageContaining("at most 4 decimal places");
    assertThat(Bounded.integer("limit", "200", 1, 200)).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "times are ISO-8601 with an offset between the years 1 and 9999, which PostgreSQL can store")
  void times() {
    assertThat(Bounded.timestampOrNull("2026-12-01T20:35:44.90082Z")).isNotNull();
    assertThat(Bounded.timestampOrNull("2026-12-01T20:35:44+02:00")).isNotNull();
    for (String raw :
        new String[] {
          "-4714-01-01T00:00:00Z",
          "+294277-01-01T00:00:00Z",
          "+999999999-12-31T00:00:00Z",
          "0000-12-31T23:00:00Z",
          "2026-12-01",
          "2026-12-01T20:35:44",
          "\u0662026-12-01T20:35:44Z",
          "x".repeat(41)
        }) {
      assertThat(Bounded.timestampOrNull(raw)).as(raw).isNull();
    }
  }
}
