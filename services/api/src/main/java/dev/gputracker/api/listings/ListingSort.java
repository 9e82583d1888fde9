package dev.gputracker.api.listings;

import java.util.Arrays;
import java.util.Optional;

/**
 * The orders listings can be read in. Each is a keyset order on (key, id), so a cursor resumes exactly after the
 * last row seen, however many rows were inserted meanwhile.
 */
enum ListingSort {
  PRICE("price", "l.price_usd", "numeric", true, true),
  PRICE_DESC("-price", "l.price_usd", "numeric", false, true),
  FIRST_SEEN("first_seen", "l.first_seen_at", "timestamptz", true, false),
  FIRST_SEEN_DESC("-first_seen", "l.first_seen_at", "timestamptz", false, false),
  LAST_SEEN_DESC("-last_seen", "l.last_seen_at", "timestamptz", false, false);

  final String param;
  final String column;
  final String type;
  final boolean ascending;
  /** Price orders leave out listings without a comparable price: they have no place in the order. */
  final boolean needsPrice;

  ListingSort(String param, String column, String type, boolean ascending, boolean needsPrice) {
    this.param = param;
    this.column = column;
    this.type = type;
    this.ascending = ascending;
    this.needsPrice = needsPrice;
  }

  static Optional<ListingSort> of(String param) {
    return Arrays.stream(values()).filter(s -> s.param.equals(param)).findFirst();
  }

  String orderBy() {
    String dir = ascending ? "ASC" : "DESC";
    return " ORDER BY " + column + " " + dir + ", l.id " + dir;
  }

  /** The keyset condition: rows strictly after the cursor's (key, id). */
  String after(int keyParam, int idParam) {
    return "(" + column + ", l.id) " + (ascending ? ">" : "<") + " ($" + keyParam + "::text::" + type + ", $" + idParam
        + "::bigint)";
  }

  static String allowed() {
    StringBuilder b = new StringBuilder();
    for (ListingSort s : values()) {
      b.append(b.length() == 0 ? "" : ", ").append(s.param);
    }
    return b.toString();
  }
}
