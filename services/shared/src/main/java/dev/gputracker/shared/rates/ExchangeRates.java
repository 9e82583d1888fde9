package dev.gputracker.shared.rates;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Euro reference rates at one point in time: units of each currency per 1 EUR. Converts between any
 * two known currencies through the euro, exactly in decimal (never a float), to 4 decimals.
 */
public final class ExchangeRates {
  private final LocalDate date;
  private final Map<String, BigDecimal> perEur;

  public ExchangeRates(LocalDate date, Map<String, BigDecimal> perEur) {
    this.date = date;
    Map<String, BigDecimal> copy = new HashMap<>(perEur);
    copy.put("EUR", BigDecimal.ONE);
    this.perEur = Map.copyOf(copy);
  }

  public LocalDate date() {
    return date;
  }

  public Map<String, BigDecimal> perEur() {
    return perEur;
  }

  /** These rates, with {@code fallback} filling the currencies they lack. */
  public ExchangeRates orElse(ExchangeRates fallback) {
    Map<String, BigDecimal> merged = new HashMap<>(fallback.perEur);
    merged.putAll(perEur);
    return new ExchangeRates(date == null ? fallback.date : date, merged);
  }

  /**
   * {@code amount} in {@code from} expressed in {@code to}, or empty when either currency is
   * unknown.
   */
  public Optional<BigDecimal> convert(BigDecimal amount, String from, String to) {
    if (amount == null || from == null) {
      return Optional.empty();
    }
    if (from.equals(to)) {
      return Optional.of(amount);
    }
    BigDecimal fromRate = perEur.get(from);
    BigDecimal toRate = perEur.get(to);
    if (fromRate == null || toRate == null) {
      return Optional.empty();
    }
    return Optional.of(
        amount
            .multiply(toRate)
            .divide(fromRate, MathContext.DECIMAL64)
            .setScale(4, RoundingMode.HALF_EVEN));
  }

  public Optional<BigDecimal> toUsd(BigDecimal amount, String currency) {
    return convert(amount, currency, "USD");
  }
}
