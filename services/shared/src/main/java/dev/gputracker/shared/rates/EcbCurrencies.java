package dev.gputracker.shared.rates;

import java.util.Set;

/**
 * The currencies the ECB publishes euro reference rates for (its daily list since 2023, when HRK
 * left it), and the euro: the codes a price can be shown in. A code outside it can never get a
 * rate, so it is refused up front.
 */
public final class EcbCurrencies {
  private EcbCurrencies() {}

  public static final Set<String> PUBLISHED =
      Set.of(
          "EUR", "USD", "JPY", "BGN", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK", "CHF", "ISK",
          "NOK", "TRY", "AUD", "BRL", "CAD", "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN", "MYR",
          "NZD", "PHP", "SGD", "THB", "ZAR");
}
