package dev.gputracker.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.domain.PriceUnit;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.PageParseException;
import dev.gputracker.worker.scrape.PageResult;
import dev.gputracker.worker.scrape.SourceAdapter;
import dev.gputracker.worker.scrape.adapters.demo.DemoCloudAdapter;
import dev.gputracker.worker.scrape.adapters.demo.DemoShopAdapter;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The built-in demo marketplace, read over real HTTP by the two demo adapters. */
class DemoMarketplaceTest {
  private Vertx vertx;
  private DemoMarketplace demo;
  private WebClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    demo = new DemoMarketplace("127.0.0.1", 0, 42);
    vertx.deployVerticle(demo).await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private List<ScrapedListing> crawl(SourceAdapter adapter) throws PageParseException {
    SourceConfig source =
        new SourceConfig(
            "demo",
            adapter.name(),
            URI.create("http://127.0.0.1:" + demo.port() + "/"),
            true,
            100,
            SourceConfig.FetchSettings.defaults(),
            new JsonObject());
    List<ScrapedListing> all = new ArrayList<>();
    Optional<URI> next = Optional.of(adapter.startUrls(source).get(0));
    while (next.isPresent()) {
      URI url = next.get();
      HttpResponse<Buffer> response = client.getAbs(url.toString()).send().await();
      assertThat(response.statusCode()).isEqualTo(200);
      PageResult page =
          adapter.parse(
              new FetchedPage(
                  url, 200, response.getHeader("content-type"), response.body().getBytes()),
              source);
      all.addAll(page.listings());
      next = page.next();
    }
    return all;
  }

  @Test
  @DisplayName(
      "the shop's pages, followed by their next links, yield every card of the day exactly once")
  void shop() throws Exception {
    List<ScrapedListing> listings = crawl(new DemoShopAdapter());
    List<DemoInventory.Card> cards = demo.inventory().cards();
    assertThat(listings).hasSize(cards.size());
    assertThat(listings)
        .extracting(ScrapedListing::externalId)
        .containsExactlyElementsOf(cards.stream().map(DemoInventory.Card::id).toList());
    ScrapedListing first = listings.get(0);
    assertThat(first.title()).isEqualTo(cards.get(0).title());
    assertThat(first.price()).isEqualByComparingTo(cards.get(0).price());
    assertThat(first.currency()).isEqualTo("USD");
    assertThat(first.url())
        .isEqualTo("http://127.0.0.1:" + demo.port() + "/shop/item/" + cards.get(0).id());
    assertThat(listings)
        .filteredOn(ScrapedListing::sponsored)
        .hasSize((int) cards.stream().filter(DemoInventory.Card::sponsored).count());
  }

  @Test
  @DisplayName("the cloud's JSON offers are hourly rentals for the whole offer")
  void cloud() throws Exception {
    DemoCloudAdapter adapter = new DemoCloudAdapter();
    assertThat(adapter.kind()).isEqualTo(ListingKind.RENTAL);
    List<ScrapedListing> listings = crawl(adapter);
    assertThat(listings).hasSize(demo.inventory().offers().size());
    DemoInventory.Offer offer = demo.inventory().offers().get(0);
    ScrapedListing first = listings.get(0);
    assertThat(first.priceUnit()).isEqualTo(PriceUnit.HOUR);
    assertThat(first.gpuCount()).isEqualTo(offer.gpuCount());
    assertThat(first.price()).isEqualByComparingTo(offer.pricePerHour());
    assertThat(first.title())
        .isEqualTo(offer.gpuCount() + "x " + offer.gpuName() + " " + offer.vramGb() + "GB");
  }

  @Test
  @DisplayName("a new market day moves prices but keeps the same listings' ids and titles")
  void marketDays() {
    DemoInventory a = DemoInventory.forDay(1);
    DemoInventory b = DemoInventory.forDay(2);
    assertThat(a.cards().get(0).title()).isEqualTo(DemoInventory.forDay(1).cards().get(0).title());
    long moved =
        a.cards().stream()
            .filter(
                c ->
                    b.cards().stream()
                        .anyMatch(
                            d -> d.id().equals(c.id()) && d.price().compareTo(c.price()) != 0))
            .count();
    assertThat(moved).isPositive();
    assertThat(a.cards().stream().filter(c -> !c.gpu()).count()).isEqualTo(5);
  }

  @Test
  @DisplayName("pages that are not the demo's formats fail with a reason")
  void malformed() {
    SourceConfig source =
        new SourceConfig(
            "demo",
            "demo",
            URI.create("http://x/"),
            true,
            1,
            SourceConfig.FetchSettings.defaults(),
            new JsonObject());
    FetchedPage junk =
        new FetchedPage(URI.create("http://x/"), 200, null, "<html>captcha</html>".getBytes());
    assertThatThrownBy(() -> new DemoShopAdapter().parse(junk, source))
        .isInstanceOf(PageParseException.class)
        .hasMessageContaining("not a demo shop result page");
    assertThatThrownBy(() -> new DemoCloudAdapter().parse(junk, source))
        .isInstanceOf(PageParseException.class)
        .hasMessageContaining("not a JSON object");
  }
}
