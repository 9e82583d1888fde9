package dev.gputracker.api.listings;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How far a sale listing's price per GPU is from its model's median sale price per GPU (the median {@code /api/gpus}
 * shows): {@code (price_usd / gpu_count − median) × 100 / median}, in percent with one decimal, negative below the
 * median. The {@code deal} order computes the same figure in SQL ({@code ApiSql.DEAL}) and shows that one; this is
 * the figure every other order shows. Rentals have no deal: their medians are per hour, a different market.
 */
final class Deal {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private Deal() {}

  /** The distance in percent, or null for a rental, an unpriced listing or a model without a median. */
  static BigDecimal vsMedianPct(String kind, String priceUsd, int gpuCount, BigDecimal median) {
    if (!"sale".equals(kind) || priceUsd == null || median == null || median.signum() <= 0) {
      return null;
    }
    BigDecimal perGpu = new BigDecimal(priceUsd).divide(BigDecimal.valueOf(gpuCount), MathContext.DECIMAL128);
    return perGpu.subtract(median).multiply(HUNDRED).divide(median, MathContext.DECIMAL128)
        .setScale(1, RoundingMode.HALF_UP);
  }
}
