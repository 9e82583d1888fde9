package dev.gputracker.worker.scrape;

import dev.gputracker.worker.scrape.model.ScrapedListing;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What an adapter found on one page.
 *
 * @param listings the listings in page order (sponsored ones included, flagged)
 * @param next the next page to fetch when the source paginates, else empty
 */
public record PageResult(List<ScrapedListing> listings, Optional<URI> next) {
  public PageResult {
    listings = List.copyOf(listings);
  }

  public static PageResult of(List<ScrapedListing> listings) {
    return new PageResult(listings, Optional.empty());
  }
}
