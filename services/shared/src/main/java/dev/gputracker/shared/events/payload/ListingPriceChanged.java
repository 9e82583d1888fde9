package dev.gputracker.shared.events.payload;

import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.domain.PriceUnit;
import java.math.BigDecimal;

/**
 * {@code listing.price_changed}: a listing's price (or currency) changed; {@code previous} is what
 * it was.
 */
public record ListingPriceChanged(
    long listingId,
    String source,
    String externalId,
    ListingKind kind,
    String title,
    @Nullable String gpu,
    @Nullable BigDecimal price,
    @Nullable String currency,
    PriceUnit priceUnit,
    @Nullable BigDecimal priceUsd,
    int gpuCount,
    @Nullable String url,
    @Nullable Long runId,
    Previous previous)
    implements EventPayload {
  public static final String TYPE = "listing.price_changed";

  /** The price before the change. */
  public record Previous(
      @Nullable BigDecimal price, @Nullable String currency, @Nullable BigDecimal priceUsd) {}
}
