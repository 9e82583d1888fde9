package dev.gputracker.api.listings;

import dev.gputracker.api.ApiSql;
import java.util.Arrays;
import java.util.Optional;

/**
 * The orders listings can be read in. Each is a keyset order on (key, id), so a cursor resumes
 * exactly after the last row seen, however many rows were inserted meanwhile.
 */
enum ListingSort {
  PRICE("price", "l.price_usd", "numeric", true, ListingColumns.PRICE_USD_KEY.column),
  PRICE_DESC("-price", "l.price_usd", "numeric", false, ListingColumns.PRICE_USD_KEY.column),
  PRICE_PER_GB(
      "price_per_gb", ApiSql.PRICE_PER_GB, "numeric", true, ListingColumns.PRICE_PER_GB.column),
  PRICE_PER_TFLOP(
      "price_per_tflop",
      ApiSql.PRICE_PER_TFLOP,
      "numeric",
      true,
      ListingColumns.PRICE_PER_TFLOP.column),
  /** Best value first: most benchmark performance per dollar. */
  VALUE("value", ApiSql.VALUE, "numeric", false, ListingColumns.VALUE.column),
  /** Best deal first: furthest below the model's median sale price per GPU (sales only). */
  DEAL("deal", ApiSql.DEAL, "numeric", true, "vs_median_pct"),
  FIRST_SEEN("first_seen", "l.first_seen_at", "timestamptz", true, null),
  FIRST_SEEN_DESC("-first_seen", "l.first_seen_at", "timestamptz", false, null),
  LAST_SEEN_DESC("-last_seen", "l.last_seen_at", "timestamptz", false, null);

  final String param;

  /** The key's SQL expression, the same one the response shows. */
  final String column;

  final String type;
  final boolean ascending;

  /**
   * The result column that carries the key for numeric orders (a cursor resumes after its value);
   * numeric orders leave out listings without the figure, since they have no place in the order.
   */
  final String figure;

  /**
   * Whether the order compares prices or figures derived from them, which mean different things for
   * a card and for an hourly rental: such an order never mixes the two (a search without {@code
   * kind} gets sales).
   */
  boolean comparesPrices() {
    return figure != null;
  }

  ListingSort(String param, String column, String type, boolean ascending, String figure) {
    this.param = param;
    this.column = column;
    this.type = type;
    this.ascending = ascending;
    this.figure = figure;
  }

  /**
   * The condition that keeps only listings with this order's key, or null for orders every listing
   * has.
   */
  String present() {
    return figure == null ? null : column + " IS NOT NULL";
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
    return "("
        + column
        + ", l.id) "
        + (ascending ? ">" : "<")
        + " ($"
        + keyParam
        + "::text::"
        + type
        + ", $"
        + idParam
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
