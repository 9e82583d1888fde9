package dev.gputracker.worker.persist;

import dev.gputracker.worker.normalize.RejectReason;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import java.math.BigDecimal;

/**
 * A listing kept aside with the reason it was not accepted.
 *
 * @param gpuSlug the model it matched, for price outliers and duplicates; null when no model was
 *     accepted
 */
public record RejectedListing(
    ScrapedListing listing,
    RejectReason reason,
    String detail,
    String gpuSlug,
    BigDecimal priceUsd) {}
