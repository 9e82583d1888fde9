package dev.gputracker.worker.config;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.rates.BundledRates;
import dev.gputracker.shared.rates.ExchangeRates;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rates a run converts with before an {@code ecb-rates} source has ever been fetched, and for
 * currencies the stored rates lack: the ECB reference rates bundled in the jar ({@code
 * rates/eurofxref-bundled.xml}, with their date), each overridable with {@code
 * FX_FALLBACK_RATES=USD=1.08,PLN=4.30,...} (units per 1 EUR). They only make listings comparable;
 * the original price and currency are always what is stored and shown.
 */
public final class FallbackRates {
  private FallbackRates() {}

  /** The bundled ECB reference rates, with their date. */
  public static ExchangeRates bundled() {
    return BundledRates.get();
  }

  public static ExchangeRates from(Env env) {
    ExchangeRates bundled = bundled();
    Map<String, BigDecimal> rates = new HashMap<>(bundled.perEur());
    Optional<String> raw = env.optional("FX_FALLBACK_RATES");
    if (raw.isPresent()) {
      for (String pair : raw.get().split(",")) {
        String[] kv = pair.trim().split("=");
        if (kv.length != 2 || !kv[0].trim().matches("[A-Z]{3}")) {
          throw new ConfigException(
              "FX_FALLBACK_RATES must look like USD=1.08,PLN=4.30 (units per 1 EUR), got '"
                  + pair.trim()
                  + "'");
        }
        try {
          BigDecimal rate = new BigDecimal(kv[1].trim());
          if (rate.signum() <= 0) {
            throw new NumberFormatException();
          }
          rates.put(kv[0].trim(), rate);
        } catch (NumberFormatException e) {
          throw new ConfigException(
              "FX_FALLBACK_RATES: '"
                  + kv[1].trim()
                  + "' is not a positive number for "
                  + kv[0].trim());
        }
      }
    }
    return new ExchangeRates(bundled.date(), rates);
  }
}
