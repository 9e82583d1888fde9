package dev.gputracker.worker.scrape.adapters.xkom;

import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.PageParseException;
import dev.gputracker.worker.scrape.PageResult;
import dev.gputracker.worker.scrape.SourceAdapter;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.html.HtmlPages;
import dev.gputracker.worker.scrape.html.Pagination;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import dev.gputracker.worker.scrape.money.Money;
import dev.gputracker.worker.scrape.money.PriceParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * x-kom.pl search and category pages (PLN). Class names there are generated and change with every
 * build, so the adapter anchors on structure only: a product is a link to {@code
 * /p/<id>-<slug>.html} holding an {@code h3[title]} (the full name); its card is the largest
 * ancestor that still links to that one product; the card's last "zł" amount is the current price
 * and an earlier one the struck old price. A card without a price (temporarily unavailable) keeps
 * none.
 */
public final class XkomAdapter implements SourceAdapter {
  private static final Pattern PRODUCT = Pattern.compile("/p/(\\d+)-");

  @Override
  public String name() {
    return "xkom";
  }

  @Override
  public ListingKind kind() {
    return ListingKind.SALE;
  }

  @Override
  public PageResult parse(FetchedPage page, SourceConfig source) throws PageParseException {
    Document doc = HtmlPages.parse(page);
    Map<String, ScrapedListing> byId = new LinkedHashMap<>();
    for (Element h3 : doc.select("a[href*=/p/] h3[title]")) {
      Element link = h3.closest("a[href*=/p/]");
      Matcher id = PRODUCT.matcher(link.attr("href"));
      if (!id.find() || byId.containsKey(id.group(1))) {
        continue;
      }
      String product = "/p/" + id.group(1) + "-";
      Element card = HtmlPages.card(link, "a[href*=/p/]", href -> href.contains(product));
      ScrapedListing.Builder b =
          ScrapedListing.builder(id.group(1), h3.attr("title").trim())
              .url(link.absUrl("href"))
              .condition(Condition.NEW)
              .seller("x-kom");
      currentPrice(card).ifPresent(m -> b.price(m.amount(), m.currency()));
      byId.put(id.group(1), b.build());
    }
    // x-kom paginates with plain ?page=N links (no rel=next).
    return new PageResult(new ArrayList<>(byId.values()), Pagination.next(doc, page.url()));
  }

  private static Optional<Money> currentPrice(Element card) {
    // An amount followed by "zł" (case-sensitive: "Złącza" on the card is the connector list, not a
    // price).
    List<Element> amounts = card.select("*:matchesOwn(\\d\\s*zł)");
    for (int i = amounts.size() - 1; i >= 0; i--) {
      Optional<Money> m = PriceParser.parse(amounts.get(i).text(), "PLN");
      if (m.isPresent()) {
        return m;
      }
    }
    return Optional.empty();
  }
}
