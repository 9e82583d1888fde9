package dev.gputracker.api.listings;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How far a sale listing's price per GPU is from its model's median sale price per GPU (the median
 * {@code /api/gpus} shows): {@code (price_usd / gpu_count − median) × 100 / median}, in percent
 * with one decimal (half away from zero), negative below the median. Written as {@code (price_usd −
 * median × gpu_count) × 100 / (median × gpu_count)}: one exact division, rounded once, here and in
 * SQL alike. The {@code deal} order computes it in SQL ({@code ApiSql.DEAL}) and shows that one;
 * this is the figure every other order shows (a page computes it for each of its sales, so it stays
 * one division). Rentals have no deal: their medians are per hour, another market.
 */
final class Deal {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private Deal() {}

  /**
   * The distance in percent, or null for a rental, an unpriced listing or a model without a median.
   */
  static BigDecimal vsMedianPct(String kind, String priceUsd, int gpuCount, BigDecimal median) {
    if (!"sale".equals(kind) || priceUsd == null || median == null || median.signum() <= 0) {
      return null;
    }
    BigDecimal offer = gpuCount == 1 ? median : median.multiply(BigDecimal.valueOf(gpuCount));
    return new BigDecimal(priceUsd)
        .subtract(offer)
        .multiply(HUNDRED)
        .divide(offer, 1, RoundingMode.HALF_UP);
  }
}
