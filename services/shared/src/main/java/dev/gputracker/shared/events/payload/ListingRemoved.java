package dev.gputracker.shared.events.payload;

import dev.gputracker.shared.domain.ListingKind;
import java.math.BigDecimal;

/** {@code listing.removed}: a complete, trusted run of its source no longer saw the listing. */
public record ListingRemoved(
    long listingId,
    String source,
    String externalId,
    ListingKind kind,
    String title,
    @Nullable String gpu,
    @Nullable BigDecimal price,
    @Nullable String currency,
    @Nullable BigDecimal priceUsd,
    @Nullable String url,
    @Nullable Long runId)
    implements EventPayload {
  public static final String TYPE = "listing.removed";
}
