package dev.gputracker.worker.scrape;

import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.worker.normalize.Normalization;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import java.math.BigDecimal;

/**
 * What a title states about the card where the page's own fields say nothing: "RTX 4090 24GB" has
 * 24 GB, "używana" is used. One definition for every path that turns a page into listings (a
 * scrape, {@code parse}, {@code probe}), so what an operator reads from a saved page is what the
 * database stores.
 */
public final class TitleFacts {
  private TitleFacts() {}

  /**
   * The listing with the title's memory and condition filled in where the page gave none. The
   * normaliser reports a size only when the accepted model shipped with it (another size is a
   * {@code suspicious} reject), so a filled-in size always agrees with the catalog. Rentals have no
   * condition.
   */
  public static ScrapedListing apply(ScrapedListing l, Normalization n, ListingKind kind) {
    BigDecimal vram = l.vramGb() != null ? l.vramGb() : n.vramGb();
    Condition condition =
        l.condition() == Condition.UNKNOWN && n.condition() != null && kind == ListingKind.SALE
            ? n.condition()
            : l.condition();
    if (vram == l.vramGb() && condition == l.condition()) {
      return l;
    }
    return new ScrapedListing(
        l.externalId(),
        l.title(),
        l.price(),
        l.currency(),
        l.priceUnit(),
        l.gpuCount(),
        vram,
        condition,
        l.location(),
        l.seller(),
        l.url(),
        l.sponsored());
  }
}
