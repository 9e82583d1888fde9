package dev.gputracker.worker.persist;

import dev.gputracker.shared.domain.ListingKind;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Each model's current price level (median USD price per GPU of its active listings, sales and
 * rentals apart), read once at the start of a run. A price far outside it is more likely a scam, a
 * typo or a mislabelled item than a bargain, so the engine keeps such a listing aside as a price
 * outlier.
 */
public final class PriceBands {
  /** Fewer active listings than this say nothing about a model's price. */
  static final int MIN_SAMPLES = 5;

  /** Below this share of the median: rejected. */
  static final BigDecimal LOW = new BigDecimal("0.3");

  /** Above this multiple of the median: rejected. */
  static final BigDecimal HIGH = new BigDecimal("3.5");

  public static final PriceBands NONE = new PriceBands(Map.of());

  private final Map<String, BigDecimal> medians;

  PriceBands(Map<String, BigDecimal> medians) {
    this.medians = Map.copyOf(medians);
  }

  public static Future<PriceBands> load(Pool pool) {
    return pool.preparedQuery(WorkerSql.PRICE_BANDS)
        .execute(Tuple.of(MIN_SAMPLES))
        .map(
            rows -> {
              Map<String, BigDecimal> medians = new HashMap<>();
              for (Row row : rows) {
                medians.put(
                    key(row.getString("gpu_slug"), row.getString("kind")),
                    BigDecimal.valueOf(row.getDouble("median")));
              }
              return new PriceBands(medians);
            });
  }

  /**
   * Why {@code priceUsd} for {@code gpuCount} GPUs is an outlier for the model, or empty when it is
   * not (or when the model has too few listings to tell).
   */
  public Optional<String> outlier(
      String slug, ListingKind kind, BigDecimal priceUsd, int gpuCount) {
    BigDecimal median = medians.get(key(slug, kind.dbValue()));
    if (median == null || priceUsd == null || median.signum() <= 0) {
      return Optional.empty();
    }
    BigDecimal perGpu = priceUsd.divide(BigDecimal.valueOf(gpuCount), MathContext.DECIMAL64);
    BigDecimal ratio = perGpu.divide(median, MathContext.DECIMAL64);
    if (ratio.compareTo(LOW) < 0 || ratio.compareTo(HIGH) > 0) {
      return Optional.of(
          String.format(Locale.ROOT, "%.2f USD per GPU vs a median of %.2f", perGpu, median));
    }
    return Optional.empty();
  }

  private static String key(String slug, String kind) {
    return slug + "|" + kind;
  }
}
