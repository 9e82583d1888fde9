package dev.gputracker.worker.scrape.adapters.olx;

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
import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * OLX.bg classifieds, the seed system's source (used cards, BGN). One search per term of {@code
 * options.search_terms} ({@code /elektronika/q-<term>/}, paginated with {@code ?page=N}). An ad is
 * a link to {@code /d/ad/…} with its title in the {@code h4}/{@code h6} inside; the price is the
 * card's {@code p[data-testid=ad-price]} ("1 299 лв."; "Договаряне", negotiable, has no price).
 * Promoted ads are flagged as sponsored.
 *
 * <p>No saved OLX page could be found; this adapter follows the structure the seed system scraped,
 * and its tests use a page written to that structure.
 */
public final class OlxAdapter implements SourceAdapter {
  static final List<String> DEFAULT_TERMS = List.of("видеокарта", "rtx", "gtx", "rx", "arc");
  private static final Pattern AD_ID = Pattern.compile("-(ID\\w+)\\.html");

  @Override
  public String name() {
    return "olx";
  }

  @Override
  public ListingKind kind() {
    return ListingKind.SALE;
  }

  @Override
  public List<URI> startUrls(SourceConfig source) {
    JsonArray terms = source.options().getJsonArray("search_terms", new JsonArray(DEFAULT_TERMS));
    List<URI> urls = new ArrayList<>();
    for (Object term : terms) {
      String encoded =
          URLEncoder.encode(String.valueOf(term).trim(), StandardCharsets.UTF_8)
              .replace("+", "%20");
      urls.add(source.baseUrl().resolve("/elektronika/q-" + encoded + "/"));
    }
    return urls;
  }

  @Override
  public PageResult parse(FetchedPage page, SourceConfig source) throws PageParseException {
    Document doc = HtmlPages.parse(page);
    Map<String, ScrapedListing> ads = new LinkedHashMap<>();
    for (Element link : doc.select("a[href*=/d/ad/]")) {
      Element title = link.selectFirst("h4, h6");
      if (title == null || title.text().isBlank()) {
        continue;
      }
      String href = link.absUrl("href");
      Matcher m = AD_ID.matcher(href);
      String id = m.find() ? m.group(1) : href.replaceAll("[?#].*", "");
      if (ads.containsKey(id)) {
        continue;
      }
      Element card = card(link);
      ScrapedListing.Builder b =
          ScrapedListing.builder(id, title.text().trim())
              .url(href.replaceAll("[?#].*", ""))
              .condition(Condition.USED)
              .sponsored(card.selectFirst("[data-testid=adCard-featured]") != null);
      Element price = card.selectFirst("p[data-testid=ad-price]");
      if (price != null) {
        PriceParser.parse(price.text(), "BGN")
            .filter(x -> x.amount().signum() > 0)
            .ifPresent(x -> b.price(x.amount(), x.currency()));
      }
      Element location = card.selectFirst("p[data-testid=location-date]");
      if (location != null) {
        b.location(location.text().split(" - ")[0].trim());
      }
      ads.put(id, b.build());
    }
    Element next =
        doc.selectFirst(
            "a[data-testid=pagination-forward][href], a[data-cy=pagination-forward][href]");
    return new PageResult(
        new ArrayList<>(ads.values()),
        Optional.ofNullable(next).map(e -> URI.create(e.absUrl("href"))));
  }

  /**
   * The ad's card: {@code [data-cy=l-card]} when present, else the largest ancestor holding only
   * this ad.
   */
  private static Element card(Element link) {
    Element card = link.closest("[data-cy=l-card]");
    if (card != null) {
      return card;
    }
    String href = link.attr("href");
    return HtmlPages.card(link, "a[href*=/d/ad/]", href::equals);
  }
}
