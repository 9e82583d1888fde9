package dev.gputracker.worker.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.worker.normalize.Normalization;
import dev.gputracker.worker.normalize.TitleNormalizer;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TitleFactsTest {
  private final TitleNormalizer normalizer = new TitleNormalizer(GpuCatalog.load());

  private ScrapedListing facts(ScrapedListing l, ListingKind kind) {
    Normalization n = normalizer.normalize(l.title());
    return TitleFacts.apply(l, n, kind);
  }

  @Test
  @DisplayName(
      "a listing without VRAM or condition takes them from its title; what the page said stands")
  void titleFillsGaps() {
    ScrapedListing shop =
        ScrapedListing.builder("1", "Karta graficzna RTX 3090 24GB używana").build();
    ScrapedListing filled = facts(shop, ListingKind.SALE);
    assertThat(filled.vramGb()).isEqualByComparingTo("24");
    assertThat(filled.condition()).isEqualTo(Condition.USED);

    ScrapedListing stated =
        ScrapedListing.builder("2", "RTX 3090 24GB used")
            .vramGb(new BigDecimal("24.0"))
            .condition(Condition.NEW)
            .build();
    assertThat(facts(stated, ListingKind.SALE)).isSameAs(stated);

    ScrapedListing rental = ScrapedListing.builder("3", "1x RTX 4090 24GB new host").build();
    assertThat(facts(rental, ListingKind.RENTAL).condition())
        .as("rentals have no condition")
        .isEqualTo(Condition.UNKNOWN);
    assertThat(facts(rental, ListingKind.RENTAL).vramGb()).isEqualByComparingTo("24");

    ScrapedListing silent = ScrapedListing.builder("4", "MSI RTX 4090 Suprim X").build();
    assertThat(facts(silent, ListingKind.SALE)).isSameAs(silent);
  }
}
