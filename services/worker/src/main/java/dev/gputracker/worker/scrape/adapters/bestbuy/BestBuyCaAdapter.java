package dev.gputracker.worker.scrape.adapters.bestbuy;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Best Buy Canada category and search pages (CAD). Class names there are hashed per build, so the
 * adapter anchors on {@code data-automation} attributes ({@code productItemName}, {@code
 * product-price}) and the product link ({@code /en-ca/product/<slug>/<sku>}), whose SKU is the id.
 * Pages are often saved or served truncated and with ISO-8859-1 bytes under a UTF-8 declaration:
 * decoding is {@link HtmlPages}', and a truncated page yields the products it holds.
 */
public final class BestBuyCaAdapter implements SourceAdapter {
  private static final Pattern SKU = Pattern.compile("/product/[^/?#]*/(\\w+)");

  @Override
  public String name() {
    return "bestbuy-ca";
  }

  @Override
  public ListingKind kind() {
    return ListingKind.SALE;
  }

  @Override
  public PageResult parse(FetchedPage page, SourceConfig source) throws PageParseException {
    Document doc = HtmlPages.parse(page);
    Map<String, ScrapedListing> bySku = new LinkedHashMap<>();
    for (Element name : doc.select("[data-automation=productItemName]")) {
      Element link = name.closest("a[href*=/product/]");
      if (link == null) {
        continue;
      }
      Matcher sku = SKU.matcher(link.attr("href"));
      if (!sku.find() || bySku.containsKey(sku.group(1))) {
        continue;
      }
      ScrapedListing.Builder b =
          ScrapedListing.builder(sku.group(1), name.text().trim())
              .url(link.absUrl("href"))
              .condition(Condition.NEW)
              .seller("Best Buy Canada");
      Element price = link.selectFirst("[data-automation=product-price]");
      if (price != null) {
        Element first = price.children().isEmpty() ? price : price.child(0);
        PriceParser.parse(first.text(), "CAD").ifPresent(m -> b.price(m.amount(), m.currency()));
      }
      bySku.put(sku.group(1), b.build());
    }
    return PageResult.of(new ArrayList<>(bySku.values()));
  }
}
