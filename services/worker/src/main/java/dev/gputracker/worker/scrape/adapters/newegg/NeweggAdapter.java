package dev.gputracker.worker.scrape.adapters.newegg;

import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.PageParseException;
import dev.gputracker.worker.scrape.PageResult;
import dev.gputracker.worker.scrape.SourceAdapter;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.html.HtmlPages;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import dev.gputracker.worker.scrape.money.PriceParser;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Newegg search results: one {@code div.item-container} per item, the title in {@code
 * a.item-title}, the current price split across tags ({@code $<strong>289</strong><sup>.99</sup>})
 * in {@code li.price-current}, and the Newegg item number ({@code N82E…}) as the id, read from the
 * item's features or its link.
 */
public final class NeweggAdapter implements SourceAdapter {
  private static final Pattern ITEM = Pattern.compile("\\b(N82E\\w+|9SI\\w+)\\b");

  @Override
  public String name() {
    return "newegg";
  }

  @Override
  public ListingKind kind() {
    return ListingKind.SALE;
  }

  @Override
  public PageResult parse(FetchedPage page, SourceConfig source) throws PageParseException {
    Document doc = HtmlPages.parse(page);
    String currency =
        page.url().getHost() != null
                && page.url().getHost().toLowerCase(Locale.ROOT).endsWith(".ca")
            ? "CAD"
            : "USD";
    List<ScrapedListing> listings = new ArrayList<>();
    for (Element item : doc.select("div.item-container")) {
      Element title = item.selectFirst("a.item-title");
      if (title == null || title.text().isBlank()) {
        continue;
      }
      Optional<String> id = itemNumber(item, title);
      if (id.isEmpty()) {
        continue;
      }
      ScrapedListing.Builder b =
          ScrapedListing.builder(id.get(), title.text().trim())
              .url(title.absUrl("href"))
              .condition(Condition.NEW);
      Element price = item.selectFirst("li.price-current");
      if (price != null) {
        Element shown = price.clone();
        shown.select(".price-current-label, .price-current-num, .price-current-range").remove();
        PriceParser.parse(shown.text(), currency).ifPresent(m -> b.price(m.amount(), m.currency()));
      }
      Element brand = item.selectFirst("a.item-brand img[title]");
      if (brand != null) {
        b.seller(brand.attr("title"));
      }
      listings.add(b.build());
    }
    Element next = doc.selectFirst("a[title=Next][href], button[title=Next] + a[href]");
    return new PageResult(
        listings, Optional.ofNullable(next).map(e -> URI.create(e.absUrl("href"))));
  }

  private static Optional<String> itemNumber(Element item, Element title) {
    for (Element li : item.select("ul.item-features li")) {
      if (li.text().startsWith("Item #")) {
        Matcher m = ITEM.matcher(li.text());
        if (m.find()) {
          return Optional.of(m.group(1));
        }
      }
    }
    Matcher m = ITEM.matcher(title.attr("href"));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
