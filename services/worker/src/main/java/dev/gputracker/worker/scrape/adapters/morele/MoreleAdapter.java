package dev.gputracker.worker.scrape.adapters.morele;

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
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * morele.net category and search pages (PLN). Every product card is a {@code
 * div.cat-product[data-product-id]} that carries its name, brand and price (dot decimal) in data
 * attributes, which are stabler than the markup around them; the link is the card's {@code
 * a.productLink}.
 */
public final class MoreleAdapter implements SourceAdapter {

  @Override
  public String name() {
    return "morele";
  }

  @Override
  public ListingKind kind() {
    return ListingKind.SALE;
  }

  @Override
  public PageResult parse(FetchedPage page, SourceConfig source) throws PageParseException {
    Document doc = HtmlPages.parse(page);
    List<ScrapedListing> listings = new ArrayList<>();
    for (Element card : doc.select("div.cat-product[data-product-id]")) {
      String id = card.attr("data-product-id").trim();
      String name = card.attr("data-product-name").trim();
      if (id.isEmpty() || name.isEmpty()) {
        continue;
      }
      Element link = card.selectFirst("a.productLink[href]");
      ScrapedListing.Builder b =
          ScrapedListing.builder(id, name)
              .condition(Condition.NEW)
              .seller("morele.net")
              .url(link == null ? null : link.absUrl("href"));
      String price = card.attr("data-product-price").trim();
      if (!price.isEmpty()) {
        try {
          BigDecimal amount = new BigDecimal(price);
          if (amount.signum() > 0) {
            b.price(amount, source.options().getString("currency", "PLN"));
          }
        } catch (NumberFormatException e) {
          // A price we cannot read stays unknown rather than wrong.
        }
      }
      listings.add(b.build());
    }
    return new PageResult(listings, Pagination.next(doc, page.url()));
  }
}
