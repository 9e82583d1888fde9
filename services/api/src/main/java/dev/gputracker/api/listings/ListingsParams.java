package dev.gputracker.api.listings;

import java.util.Set;

/**
 * The query parameters {@code GET /api/listings} accepts (the OpenAPI document must list exactly
 * these).
 */
public final class ListingsParams {
  private ListingsParams() {}

  public static Set<String> known() {
    return ListingQuery.KNOWN;
  }
}
