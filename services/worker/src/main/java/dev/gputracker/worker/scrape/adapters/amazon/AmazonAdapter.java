package dev.gputracker.worker.scrape.adapters.amazon;

import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.PageParseException;
import dev.gputracker.worker.scrape.PageResult;
import dev.gputracker.worker.scrape.SourceAdapter;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.html.HtmlPages;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import dev.gputracker.worker.scrape.money.Money;
import dev.gputracker.worker.scrape.money.PriceParser;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Amazon search results in any locale (.com, .de, .co.uk, .pl, …) from one adapter. Anchored on
 * Amazon's stable result markup: one {@code div[data-component-type=s-search-result]} per result
 * with the ASIN in {@code data-asin}, the title in its {@code h2}, the current price in the
 * offscreen text of the first {@code a-price} that is not a struck-through list price, and
 * sponsored results marked by a sponsored label. A result without a price keeps no price. The
 * currency comes from the price text; the marketplace's host only decides what a bare "$" means.
 * Links are rewritten to the canonical {@code /dp/ASIN} form without tracking.
 */
public final class AmazonAdapter implements SourceAdapter {
  private static final Map<String, String> HOST_CURRENCY =
      Map.ofEntries(
          Map.entry("com", "USD"),
          Map.entry("ca", "CAD"),
          Map.entry("com.mx", "MXN"),
          Map.entry("com.br", "BRL"),
          Map.entry("co.uk", "GBP"),
          Map.entry("de", "EUR"),
          Map.entry("fr", "EUR"),
          Map.entry("it", "EUR"),
          Map.entry("es", "EUR"),
          Map.entry("nl", "EUR"),
          Map.entry("be", "EUR"),
          Map.entry("ie", "EUR"),
          Map.entry("pl", "PLN"),
          Map.entry("se", "SEK"),
          Map.entry("com.tr", "TRY"),
          Map.entry("com.au", "AUD"),
          Map.entry("co.jp", "JPY"),
          Map.entry("in", "INR"),
          Map.entry("sg", "SGD"),
          Map.entry("ae", "AED"),
          Map.entry("sa", "SAR"),
          Map.entry("eg", "EGP"));

  /** The attribute every search result carries, in every locale, for years. */
  private static final String RESULT_MARKER = "data-component-type=\"s-search-result\"";

  @Override
  public String name() {
    return "amazon";
  }

  @Override
  public ListingKind kind() {
    return ListingKind.SALE;
  }

  @Override
  public PageResult parse(FetchedPage page, SourceConfig source) throws PageParseException {
    // Only the results and the pagination after them are parsed: the rest of the page is navigation
    // and scripts.
    Document doc = HtmlPages.parseRegion(page, RESULT_MARKER, "s-pagination-next");
    ResultCards cards = ResultCards.of(doc);
    if (cards.results().isEmpty()
        && doc.selectFirst("form[action*=validateCaptcha], form[action*=Captcha]") != null) {
      throw new PageParseException(
          "Amazon answered " + page.url() + " with a robot check (captcha)");
    }
    String defaultCurrency = currencyFor(page.url());
    List<ScrapedListing> listings = new ArrayList<>(cards.results().size());
    for (Element result : cards.results()) {
      String asin = result.attr("data-asin").trim();
      ResultCards.Card card = ResultCards.card(result);
      String title = card.h2() == null ? "" : card.h2().text();
      if (asin.isEmpty() || title.isBlank()) {
        continue;
      }
      ScrapedListing.Builder b =
          ScrapedListing.builder(asin, title.trim())
              .url(canonicalUrl(page.url(), asin))
              .condition(Condition.NEW)
              .sponsored(result.hasClass("AdHolder") || card.sponsoredLabel());
      price(card.prices(), defaultCurrency).ifPresent(m -> b.price(m.amount(), m.currency()));
      listings.add(b.build());
    }
    return new PageResult(
        listings, Optional.ofNullable(cards.next()).map(e -> URI.create(e.absUrl("href"))));
  }

  /**
   * The first price that is not a struck-through list price ({@code a-text-price} / {@code
   * data-a-strike}).
   */
  private static Optional<Money> price(List<Element> prices, String defaultCurrency) {
    for (Element price : prices) {
      if (price.hasClass("a-text-price") || price.hasAttr("data-a-strike")) {
        continue;
      }
      Element offscreen = price.selectFirst("span.a-offscreen");
      Optional<Money> money =
          PriceParser.parse(offscreen != null ? offscreen.text() : price.text(), defaultCurrency);
      if (money.isPresent()) {
        return money;
      }
    }
    return Optional.empty();
  }

  static String currencyFor(URI url) {
    String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
    int at = host.indexOf("amazon.");
    String tld = at < 0 ? "" : host.substring(at + "amazon.".length());
    return HOST_CURRENCY.getOrDefault(tld, "USD");
  }

  private static String canonicalUrl(URI page, String asin) {
    String scheme =
        page.getScheme() == null || page.getScheme().equals("file") ? "https" : page.getScheme();
    String host = page.getHost() == null ? "www.amazon.com" : page.getHost();
    return scheme + "://" + host + "/dp/" + asin;
  }
}
