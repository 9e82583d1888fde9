package dev.gputracker.shared.domain;

import java.util.Locale;

/** What a listing offers: a card to buy, or GPU time to rent. Stored as the lower-case name. */
public enum ListingKind {
  SALE,
  RENTAL;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ListingKind fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
