package dev.gputracker.worker.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A page without listings is an error naming what was seen, in every adapter")
class PageReaderTest {

  /**
   * Pages a marketplace answers with, status 200, instead of its results; and the words naming
   * each.
   */
  private static final Map<String, String> NOT_RESULTS =
      Map.of(
          "",
          "an empty body (0 bytes)",
          "<html><head><title>Just a moment...</title></head><body><div id=\"cf-chl-widget\">Checking your browser"
              + "</div></body></html>",
          "a robot check titled 'Just a moment...'",
          "<html><head><title>Robot Check</title></head><body><form action=\"/errors/validateCaptcha\">"
              + "<input name=\"field-keywords\"></form></body></html>",
          "a robot check titled 'Robot Check'",
          "<html><head><title>Sign in</title></head><body><form><input name=\"email\"><input type=\"password\">"
              + "</form></body></html>",
          "a login wall titled 'Sign in'",
          "<html><head><title>Before you continue</title></head><body><p>We value your privacy. Accept all cookies"
              + " to continue.</p><button>Accept</button></body></html>",
          "a consent wall titled 'Before you continue'",
          "<html><head><title>ASUS TUF RTX 4090 - product details</title></head><body><h1>ASUS TUF RTX 4090</h1>"
              + "<p>Specifications</p></body></html>",
          "a page titled 'ASUS TUF RTX 4090 - product details' without result markers");

  private static SourceConfig source(String adapter, JsonObject options) {
    return new SourceConfig(
        "shop",
        adapter,
        URI.create("https://shop.test/s?k=gpu"),
        true,
        3,
        SourceConfig.FetchSettings.defaults(),
        options);
  }

  /** What each adapter needs in its options to run at all. */
  private static JsonObject options(String adapter) {
    return adapter.equals("selectors")
        ? new JsonObject()
            .put("item", "div.product")
            .put("id", "@data-id")
            .put("title", "h2")
            .put("price", ".price")
            .put("currency", "USD")
        : new JsonObject();
  }

  private static FetchedPage page(String body) {
    return new FetchedPage(
        URI.create("https://shop.test/s?k=gpu"),
        200,
        "text/html; charset=utf-8",
        body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName(
      "robot checks, login and consent walls, empty bodies and other page types fail every adapter, named")
  void everyAdapterNamesWhatItSaw() {
    AdapterRegistry registry = AdapterRegistry.load();
    int checked = 0;
    for (String name : registry.names()) {
      SourceAdapter adapter = registry.get(name);
      for (Map.Entry<String, String> e : NOT_RESULTS.entrySet()) {
        assertThatThrownBy(
                () -> PageReader.read(adapter, page(e.getKey()), source(name, options(name))))
            .as(name + " on " + e.getValue())
            .isInstanceOf(PageParseException.class)
            .hasMessageContaining("https://shop.test/s?k=gpu")
            .hasMessageContaining("the page is " + e.getValue());
        checked++;
      }
    }
    assertThat(checked).as("every adapter, every page").isEqualTo(11 * NOT_RESULTS.size());
  }

  @Test
  @DisplayName(
      "the selectors adapter: zero item matches is an error unless the page matches empty_results")
  void selectorsEmptyResults() throws Exception {
    String noResults =
        "<html><head><title>Search</title></head><body><div class=\"no-results\">Nothing found for"
            + " 'rtx 9090'</div></body></html>";
    JsonObject options = options("selectors");
    SourceAdapter selectors = AdapterRegistry.load().get("selectors");

    assertThatThrownBy(
            () -> PageReader.read(selectors, page(noResults), source("selectors", options)))
        .hasMessageContaining("no listings on https://shop.test/s?k=gpu")
        .hasMessageContaining("a page titled 'Search' without result markers");

    JsonObject honest = options.copy().put(PageReader.EMPTY_RESULTS, "div.no-results");
    assertThat(PageReader.read(selectors, page(noResults), source("selectors", honest)).listings())
        .isEmpty();
    assertThatThrownBy(() -> PageReader.read(selectors, page(""), source("selectors", honest)))
        .as("an empty body is not the honest no-results page")
        .hasMessageContaining("an empty body");
  }

  @Test
  @DisplayName("a page with listings passes through unchanged")
  void listingsPass() throws Exception {
    String html =
        "<html><body><div class=\"product\" data-id=\"a1\"><h2>RTX 4090</h2><span class=\"price\">"
            + "$1,599.99</span></div></body></html>";
    PageResult result =
        PageReader.read(
            AdapterRegistry.load().get("selectors"),
            page(html),
            source("selectors", options("selectors")));
    assertThat(result.listings()).extracting(ScrapedListing::externalId).containsExactly("a1");
  }
}
