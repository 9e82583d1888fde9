package dev.gputracker.worker.scrape.adapters.demo;

import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.PageParseException;
import dev.gputracker.worker.scrape.PageResult;
import dev.gputracker.worker.scrape.SourceAdapter;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Reads the result pages of the built-in demo shop ({@code DemoMarketplace}): cards for sale, in
 * USD.
 */
public final class DemoShopAdapter implements SourceAdapter {

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public ListingKind kind() {
    return ListingKind.SALE;
  }

  @Override
  public List<URI> startUrls(SourceConfig source) {
    return List.of(source.baseUrl().resolve("/shop/search?page=1"));
  }

  @Override
  public PageResult parse(FetchedPage page, SourceConfig source) throws PageParseException {
    Document doc =
        Jsoup.parse(new String(page.body(), StandardCharsets.UTF_8), page.url().toString());
    List<Element> results = doc.select("li.result[data-listing-id]");
    if (results.isEmpty() && doc.selectFirst("ol.results") == null) {
      throw new PageParseException("not a demo shop result page: no ol.results at " + page.url());
    }
    List<ScrapedListing> listings = new ArrayList<>(results.size());
    for (Element r : results) {
      Element link = r.selectFirst("h2.result-title a[href]");
      if (link == null) {
        continue;
      }
      ScrapedListing.Builder b =
          ScrapedListing.builder(r.attr("data-listing-id"), link.text())
              .url(link.absUrl("href"))
              .sponsored(Boolean.parseBoolean(r.attr("data-sponsored")));
      Element price = r.selectFirst(".result-price[data-price]");
      if (price != null) {
        try {
          b.price(
              new BigDecimal(price.attr("data-price")),
              price.attr("data-currency").toUpperCase(Locale.ROOT));
        } catch (NumberFormatException e) {
          // A price we cannot read stays unknown rather than wrong.
        }
      }
      Element condition = r.selectFirst(".result-condition");
      if (condition != null) {
        b.condition(
            switch (condition.text().trim().toLowerCase(Locale.ROOT)) {
              case "new" -> Condition.NEW;
              case "used" -> Condition.USED;
              case "refurbished" -> Condition.REFURBISHED;
              default -> Condition.UNKNOWN;
            });
      }
      Element seller = r.selectFirst(".result-seller");
      Element location = r.selectFirst(".result-location");
      b.seller(seller == null ? null : seller.text())
          .location(location == null ? null : location.text());
      listings.add(b.build());
    }
    Element next = doc.selectFirst("a[rel=next][href]");
    return new PageResult(
        listings, Optional.ofNullable(next).map(e -> URI.create(e.absUrl("href"))));
  }
}
