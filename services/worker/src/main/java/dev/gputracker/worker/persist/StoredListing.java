package dev.gputracker.worker.persist;

import dev.gputracker.worker.scrape.model.ScrapedListing;
import java.math.BigDecimal;

/**
 * A listing ready to store: what the adapter extracted, the catalog model the normaliser matched,
 * and the price in US dollars when it can be known.
 *
 * @param gpuSlug a slug of the catalog (never an unknown one: the column references gpu_models)
 * @param priceUsd the price converted to USD, or null when there is no price or no exchange rate
 */
public record StoredListing(ScrapedListing listing, String gpuSlug, BigDecimal priceUsd) {}
