package dev.gputracker.shared.rates;

import java.io.IOException;
import java.io.InputStream;

/**
 * The ECB's euro reference rates bundled in the jars ({@value #RESOURCE}, with their date): the
 * worker converts prices with them until its first successful fetch of the rates, and the API shows
 * prices in other currencies with them while no rates are stored. One file, read by both.
 */
public final class BundledRates {
  /** Where the bundled rates live on the class path. */
  public static final String RESOURCE = "rates/eurofxref-bundled.xml";

  private static volatile ExchangeRates loaded;

  private BundledRates() {}

  /** The bundled rates (read once). */
  public static ExchangeRates get() {
    ExchangeRates rates = loaded;
    if (rates == null) {
      rates = read();
      loaded = rates;
    }
    return rates;
  }

  private static ExchangeRates read() {
    try (InputStream in = BundledRates.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the bundled rates " + RESOURCE + " are missing from the jar");
      }
      return EcbRatesParser.parse(in.readAllBytes()).get(0);
    } catch (IOException | EcbRatesParser.RatesException e) {
      throw new IllegalStateException(
          "the bundled rates " + RESOURCE + " cannot be read: " + e.getMessage(), e);
    }
  }
}
