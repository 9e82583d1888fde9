package dev.gputracker.worker.scrape.model;

import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.PriceUnit;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A listing as an adapter extracted it, before normalisation. Only {@code externalId} and {@code
 * title} are required; everything a page does not show stays null (a missing price is never
 * invented).
 *
 * @param externalId the marketplace's own id (ASIN, SKU, offer id), unique within the source
 * @param price the asking price in {@code currency}, or null when the page shows none
 * @param currency ISO 4217 code, e.g. {@code USD}; null only when {@code price} is null
 * @param priceUnit {@code TOTAL} for a sale, {@code HOUR} for a rental (for the whole offer, all
 *     GPUs)
 * @param gpuCount GPUs in the offer (1 for a card)
 * @param vramGb memory per GPU in GB when the page states it
 * @param url absolute link to the listing
 * @param sponsored an advertisement placed among the results
 */
public record ScrapedListing(
    String externalId,
    String title,
    BigDecimal price,
    String currency,
    PriceUnit priceUnit,
    int gpuCount,
    BigDecimal vramGb,
    Condition condition,
    String location,
    String seller,
    String url,
    boolean sponsored) {

  public ScrapedListing {
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(priceUnit, "priceUnit");
    Objects.requireNonNull(condition, "condition");
    if (price != null && currency == null) {
      throw new IllegalArgumentException("a price needs a currency: " + externalId);
    }
    if (gpuCount < 1) {
      throw new IllegalArgumentException("gpuCount must be positive: " + externalId);
    }
  }

  public static Builder builder(String externalId, String title) {
    return new Builder(externalId, title);
  }

  /** Fluent construction for adapters, which fill fields as they find them. */
  public static final class Builder {
    private final String externalId;
    private final String title;
    private BigDecimal price;
    private String currency;
    private PriceUnit priceUnit = PriceUnit.TOTAL;
    private int gpuCount = 1;
    private BigDecimal vramGb;
    private Condition condition = Condition.UNKNOWN;
    private String location;
    private String seller;
    private String url;
    private boolean sponsored;

    private Builder(String externalId, String title) {
      this.externalId = externalId;
      this.title = title;
    }

    public Builder price(BigDecimal price, String currency) {
      this.price = price;
      this.currency = currency;
      return this;
    }

    public Builder priceUnit(PriceUnit unit) {
      this.priceUnit = unit;
      return this;
    }

    public Builder gpuCount(int count) {
      this.gpuCount = count;
      return this;
    }

    public Builder vramGb(BigDecimal vramGb) {
      this.vramGb = vramGb;
      return this;
    }

    public Builder condition(Condition condition) {
      this.condition = condition;
      return this;
    }

    public Builder location(String location) {
      this.location = location;
      return this;
    }

    public Builder seller(String seller) {
      this.seller = seller;
      return this;
    }

    public Builder url(String url) {
      this.url = url;
      return this;
    }

    public Builder sponsored(boolean sponsored) {
      this.sponsored = sponsored;
      return this;
    }

    public ScrapedListing build() {
      return new ScrapedListing(
          externalId,
          title,
          price,
          currency,
          priceUnit,
          gpuCount,
          vramGb,
          condition,
          location,
          seller,
          url,
          sponsored);
    }
  }
}
