package dev.gputracker.shared.events.payload;

import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.domain.PriceUnit;
import java.math.BigDecimal;

/**
 * {@code listing.created}: a listing seen for the first time, or seen again after it was removed
 * (relisted).
 */
public record ListingCreated(
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
    @MayBeAbsent Boolean relisted)
    implements EventPayload {
  public static final String TYPE = "listing.created";
}
