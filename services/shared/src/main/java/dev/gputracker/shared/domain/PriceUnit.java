package dev.gputracker.shared.domain;

import java.util.Locale;

/**
 * What a price pays for. A sale's price is the {@link #TOTAL}; a rental's is per {@link #HOUR} for
 * the whole offer (all of its GPUs), so the price per GPU-hour is {@code price / gpu_count}.
 */
public enum PriceUnit {
  TOTAL,
  HOUR;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PriceUnit fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
