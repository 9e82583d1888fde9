package dev.gputracker.shared.domain;

import java.util.Locale;

/** The state of a card for sale; rentals are {@link #UNKNOWN}. Stored as the lower-case name. */
public enum Condition {
  NEW,
  USED,
  REFURBISHED,
  UNKNOWN;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Condition fromDb(String value) {
    return value == null ? UNKNOWN : valueOf(value.toUpperCase(Locale.ROOT));
  }
}
