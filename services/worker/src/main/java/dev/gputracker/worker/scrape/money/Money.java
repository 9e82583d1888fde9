package dev.gputracker.worker.scrape.money;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount of money exactly as a page showed it: never a float, the scale kept ({@code 1699.00}
 * stays two places).
 *
 * @param amount the amount, never negative
 * @param currency the ISO 4217 code, e.g. {@code PLN}
 */
public record Money(BigDecimal amount, String currency) {
  public Money {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("a price cannot be negative: " + amount);
    }
  }

  public static Money of(String amount, String currency) {
    return new Money(new BigDecimal(amount), currency);
  }
}
