package dev.gputracker.worker.scrape.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.testing.Fixtures;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.PageParseException;
import dev.gputracker.worker.scrape.PageResult;
import dev.gputracker.worker.scrape.SourceAdapter;
import dev.gputracker.worker.scrape.adapters.morele.MoreleAdapter;
import dev.gputracker.worker.scrape.adapters.newegg.NeweggAdapter;
import dev.gputracker.worker.scrape.adapters.olx.OlxAdapter;
import dev.gputracker.worker.scrape.adapters.selectors.SelectorsAdapter;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OlxAndSelectorsTest {

  private static SourceConfig source(String adapter, String base, JsonObject options) {
    return new SourceConfig(
        "s", adapter, URI.create(base), true, 1, SourceConfig.FetchSettings.defaults(), options);
  }

  /**
   * No saved OLX page exists (the fixtures README says so); this page is written after the
   * structure the seed system scraped.
   */
  @Test
  @DisplayName(
      "OLX.bg: one search per term, ads with BGN prices, negotiable ones without, promoted ones flagged")
  void olx() throws Exception {
    OlxAdapter olx = new OlxAdapter();
    SourceConfig source =
        source(
            "olx",
            "https://www.olx.bg/",
            new JsonObject()
                .put("search_terms", new JsonArray().add("видеокарта").add("rtx 3080")));
    assertThat(olx.startUrls(source))
        .extracting(URI::toString)
        .containsExactly(
            "https://www.olx.bg/elektronika/q-%D0%B2%D0%B8%D0%B4%D0%B5%D0%BE%D0%BA%D0%B0%D1%80%D1%82%D0%B0/",
            "https://www.olx.bg/elektronika/q-rtx%203080/");
    byte[] body = getClass().getResourceAsStream("/adapters/olx/search-rtx.html").readAllBytes();
    PageResult page =
        olx.parse(
            new FetchedPage(
                URI.create("https://www.olx.bg/elektronika/q-rtx/"),
                200,
                "text/html; charset=utf-8",
                body),
            source);
    List<ScrapedListing> ads = page.listings();
    assertThat(ads)
        .extracting(ScrapedListing::externalId)
        .containsExactly("ID9Fz1a", "ID9Gq7b", "ID9Hk2c", "ID9Jm3d");
    ScrapedListing first = ads.get(0);
    assertThat(first.title()).isEqualTo("Видеокарта MSI RTX 3080 Ventus 3X 10GB");
    assertThat(first.price()).isEqualByComparingTo("1299");
    assertThat(first.currency()).isEqualTo("BGN");
    assertThat(first.sponsored()).isTrue();
    assertThat(first.url())
        .isEqualTo(
            "https://www.olx.bg/d/ad/videokarta-msi-rtx-3080-ventus-10gb-CID632-ID9Fz1a.html");
    assertThat(first.location()).isEqualTo("София, Младост");
    assertThat(ads.get(2).price()).as("Договаряне: negotiable").isNull();
    assertThat(ads.get(1).sponsored()).isFalse();
    assertThat(page.next()).contains(URI.create("https://www.olx.bg/elektronika/q-rtx/?page=2"));
  }

  private static List<ScrapedListing> page(
      SourceAdapter adapter, SourceConfig source, String fixture, String url) throws Exception {
    byte[] body = Files.readAllBytes(Fixtures.require(fixture));
    return adapter
        .parse(new FetchedPage(URI.create(url), 200, "text/html", body), source)
        .listings();
  }

  private static void assertSame(List<ScrapedListing> byConfig, List<ScrapedListing> byCode) {
    assertThat(byConfig).hasSameSizeAs(byCode).isNotEmpty();
    for (int i = 0; i < byCode.size(); i++) {
      ScrapedListing a = byConfig.get(i);
      ScrapedListing b = byCode.get(i);
      assertThat(a.externalId()).isEqualTo(b.externalId());
      assertThat(a.title()).isEqualTo(b.title());
      assertThat(a.price()).isEqualByComparingTo(b.price());
      assertThat(a.currency()).isEqualTo(b.currency());
      assertThat(a.url()).isEqualTo(b.url());
    }
  }

  @Test
  @DisplayName("morele expressed as a selectors config yields the same listings as its adapter")
  void moreleAsConfig() throws Exception {
    JsonObject options =
        new JsonObject()
            .put("item", "div.cat-product[data-product-id]")
            .put("id", "@data-product-id")
            .put("title", "@data-product-name")
            .put("price", "@data-product-price")
            .put("link", "a.productLink@href")
            .put("currency", "PLN");
    String url = "https://www.morele.net/kategoria/karty-graficzne-12/";
    assertSame(
        page(
            new SelectorsAdapter(), source("selectors", url, options), "morele/listings.html", url),
        page(
            new MoreleAdapter(),
            source("morele", url, new JsonObject()),
            "morele/listings.html",
            url));
  }

  @Test
  @DisplayName(
      "Newegg expressed as a selectors config (id from the link by pattern) yields the same listing")
  void neweggAsConfig() throws Exception {
    JsonObject options =
        new JsonObject()
            .put("item", "div.item-container")
            .put("id", "a.item-title@href")
            .put("id_pattern", "Item=(\\w+)")
            .put("title", "a.item-title")
            .put("price", "li.price-current")
            .put("link", "a.item-title@href")
            .put("currency", "USD");
    String url = "https://www.newegg.com/p/pl?d=gpu";
    assertSame(
        page(new SelectorsAdapter(), source("selectors", url, options), "newegg/newegg.html", url),
        page(
            new NeweggAdapter(),
            source("newegg", url, new JsonObject()),
            "newegg/newegg.html",
            url));
  }

  @Test
  @DisplayName(
      "a selectors source says what is missing or wrong in its options; kind can be rental")
  void selectorErrors() {
    FetchedPage page =
        new FetchedPage(URI.create("https://x.test/"), 200, "text/html", "<p>x</p>".getBytes());
    assertThatThrownBy(
            () ->
                new SelectorsAdapter()
                    .parse(
                        page,
                        source("selectors", "https://x.test/", new JsonObject().put("item", "p"))))
        .isInstanceOf(PageParseException.class)
        .hasMessageContaining("options.id");
    assertThatThrownBy(
            () ->
                new SelectorsAdapter()
                    .parse(
                        page,
                        source(
                            "selectors",
                            "https://x.test/",
                            new JsonObject()
                                .put("item", "p[[")
                                .put("id", "@x")
                                .put("title", "p")
                                .put("currency", "USD"))))
        .isInstanceOf(PageParseException.class)
        .hasMessageContaining("options.item");
    assertThat(
            new SelectorsAdapter()
                .kind(
                    source("selectors", "https://x.test/", new JsonObject().put("kind", "rental"))))
        .isEqualTo(ListingKind.RENTAL);
  }
}
