package dev.gputracker.api.listings;

import dev.gputracker.api.ApiSql;

/**
 * The listing selects a search, one listing and the CSV export start from: {@link ListingColumns}'
 * select list read from {@link ApiSql#LISTINGS_FROM}, with the named fixed parts a search may add
 * (prices in another currency, the deal order's median join).
 */
final class ListingSelects {
  private ListingSelects() {}

  /** The listing columns of every listing, to which a search adds its conditions and order. */
  static final String SELECT = "SELECT " + ListingColumns.selectList() + ApiSql.LISTINGS_FROM;

  /** One listing by id ({@code $1 bigint}), with the same columns as a search. */
  static final String LISTING = SELECT + " WHERE l.id = $1";

  /**
   * The listing columns plus the USD price shown in another currency ({@link ApiSql#DISPLAY_PRICE}
   * with {@link ApiSql#EXCHANGE_RATES_JOIN}): {@code $%1$d} its ISO code, {@code $%2$d} the bundled
   * rate of the currency, {@code $%3$d} USD's, {@code $%4$d} their date.
   */
  static final String SELECT_CONVERTED =
      "SELECT "
          + ListingColumns.selectList()
          + ", "
          + ApiSql.DISPLAY_PRICE
          + ApiSql.LISTINGS_FROM
          + ApiSql.EXCHANGE_RATES_JOIN;

  /**
   * {@code select} (one of the listing selects above) with the {@link ApiSql#DEAL} column {@code
   * vs_median_pct}, joined to the models' medians given as {@code $slugs::text[]} and {@code
   * $medians::text[]} (decimal strings): listings of a model without a median drop out, as they
   * have no place in the order. The arrays are sub-selects, so that a custom plan, like the generic
   * one, cannot count them: seeing 350 medians, the first five (custom) plans of each connection
   * joined every active sale by hash, 1.2-1.7 s at 2,000,000 listings, where the per-model index
   * ranges take 20 ms.
   */
  static String withDeal(String select, int slugs, int medians) {
    return select.replace(
        ApiSql.LISTINGS_FROM,
        ", "
            + ApiSql.DEAL
            + "::text AS vs_median_pct"
            + ApiSql.LISTINGS_FROM
            + "JOIN unnest((SELECT $"
            + slugs
            + "::text[]), (SELECT $"
            + medians
            + "::text[]::numeric[])) AS med(slug, median)"
            + " ON med.slug = l.gpu_slug\n");
  }
}
