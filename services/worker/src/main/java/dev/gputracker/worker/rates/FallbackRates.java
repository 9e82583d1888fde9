package dev.gputracker.worker.rates;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.Env;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Rates used for currencies the stored ECB rates lack (or before the first fetch): built-in approximations of
 * recent euro reference rates, overridable with {@code FX_FALLBACK_RATES=USD=1.08,PLN=4.30,...} (units per 1 EUR).
 * They only make listings comparable; the original price and currency are always what is stored and shown.
 */
public final class FallbackRates {
  static final Map<String, BigDecimal> BUILT_IN = Map.ofEntries(
      Map.entry("USD", new BigDecimal("1.08")), Map.entry("GBP", new BigDecimal("0.85")),
      Map.entry("PLN", new BigDecimal("4.30")), Map.entry("BGN", new BigDecimal("1.95583")),
      Map.entry("CAD", new BigDecimal("1.48")), Map.entry("PHP", new BigDecimal("62.0")),
      Map.entry("CHF", new BigDecimal("0.95")), Map.entry("SEK", new BigDecimal("11.4")),
      Map.entry("CZK", new BigDecimal("25.0")), Map.entry("JPY", new BigDecimal("165.0")),
      Map.entry("AUD", new BigDecimal("1.65")), Map.entry("NOK", new BigDecimal("11.6")),
      Map.entry("DKK", new BigDecimal("7.46")), Map.entry("HUF", new BigDecimal("395")),
      Map.entry("RON", new BigDecimal("4.97")), Map.entry("INR", new BigDecimal("91")));

  private FallbackRates() {}

  public static ExchangeRates from(Env env) {
    Map<String, BigDecimal> rates = new HashMap<>(BUILT_IN);
    Optional<String> raw = env.optional("FX_FALLBACK_RATES");
    if (raw.isPresent()) {
      for (String pair : raw.get().split(",")) {
        String[] kv = pair.trim().split("=");
        if (kv.length != 2 || !kv[0].trim().matches("[A-Z]{3}")) {
          throw new ConfigException("FX_FALLBACK_RATES must look like USD=1.08,PLN=4.30 (units per 1 EUR), got '"
              + pair.trim() + "'");
        }
        try {
          BigDecimal rate = new BigDecimal(kv[1].trim());
          if (rate.signum() <= 0) {
            throw new NumberFormatException();
          }
          rates.put(kv[0].trim(), rate);
        } catch (NumberFormatException e) {
          throw new ConfigException("FX_FALLBACK_RATES: '" + kv[1].trim() + "' is not a positive number for "
              + kv[0].trim());
        }
      }
    }
    return new ExchangeRates(null, rates);
  }
}
