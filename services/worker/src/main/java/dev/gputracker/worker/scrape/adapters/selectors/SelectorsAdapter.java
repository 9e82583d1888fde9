package dev.gputracker.worker.scrape.adapters.selectors;

import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.domain.PriceUnit;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.PageParseException;
import dev.gputracker.worker.scrape.PageResult;
import dev.gputracker.worker.scrape.SourceAdapter;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.html.HtmlPages;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import dev.gputracker.worker.scrape.money.PriceParser;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Selector;

/**
 * A marketplace defined entirely in the sources file, no code: CSS selectors in {@code options} say
 * where each field is. Every field spec is {@code "css"} (the text of the first match inside the
 * item), {@code "css@attr"} (an attribute of it, links resolved to absolute URLs), or {@code
 * "@attr"} (an attribute of the item itself).
 *
 * <pre>{
 *   "name": "morele-by-config", "adapter": "selectors", "base_url": "https://www.morele.net/kategoria/karty-graficzne-12/",
 *   "options": {
 *     "item": "div.cat-product[data-product-id]",
 *     "id": "@data-product-id", "title": "@data-product-name", "price": "@data-product-price",
 *     "link": "a.productLink@href", "next": "link[rel=next]@href",
 *     "currency": "PLN", "kind": "sale", "sponsored": "[class*=sponsored]", "id_pattern": "Item=(\\w+)"
 *   }
 * }</pre>
 *
 * <p>{@code item}, {@code id}, {@code title} and {@code currency} are required; {@code id_pattern}
 * (a regex whose first group is the id) is optional, as are {@code price}, {@code link}, {@code
 * next} and {@code sponsored} (present when the selector matches inside the item). Prices go
 * through the same locale-aware parser as the adapters', with {@code currency} as the hint. A bad
 * selector fails the page with a message naming the option.
 */
public final class SelectorsAdapter implements SourceAdapter {

  @Override
  public String name() {
    return "selectors";
  }

  /** The default; a source sets {@code options.kind} to {@code rental} for hourly offers. */
  @Override
  public ListingKind kind() {
    return ListingKind.SALE;
  }

  @Override
  public ListingKind kind(SourceConfig source) {
    return "rental".equals(source.options().getString("kind"))
        ? ListingKind.RENTAL
        : ListingKind.SALE;
  }

  @Override
  public PageResult parse(FetchedPage page, SourceConfig source) throws PageParseException {
    JsonObject o = source.options();
    String item = required(o, "item");
    String idSpec = required(o, "id");
    String titleSpec = required(o, "title");
    String currency = required(o, "currency");
    Pattern idPattern =
        o.getString("id_pattern") == null ? null : Pattern.compile(o.getString("id_pattern"));
    boolean rental = "rental".equals(o.getString("kind"));
    Document doc = HtmlPages.parse(page);
    List<Element> items;
    try {
      items = doc.select(item);
    } catch (Selector.SelectorParseException e) {
      throw new PageParseException(
          "options.item is not a valid CSS selector: " + e.getMessage(), e);
    }
    Map<String, ScrapedListing> listings = new LinkedHashMap<>();
    for (Element el : items) {
      Optional<String> rawId = field(el, idSpec, "id");
      Optional<String> title = field(el, titleSpec, "title");
      if (rawId.isEmpty() || title.isEmpty()) {
        continue;
      }
      String id = rawId.get();
      if (idPattern != null) {
        Matcher m = idPattern.matcher(id);
        if (!m.find()) {
          continue;
        }
        id = m.groupCount() > 0 ? m.group(1) : m.group();
      }
      ScrapedListing.Builder b =
          ScrapedListing.builder(id, title.get()).condition(Condition.UNKNOWN);
      if (rental) {
        b.priceUnit(PriceUnit.HOUR);
      }
      String priceSpec = o.getString("price");
      if (priceSpec != null) {
        field(el, priceSpec, "price")
            .flatMap(text -> PriceParser.parse(text, currency))
            .ifPresent(m -> b.price(m.amount(), m.currency()));
      }
      String linkSpec = o.getString("link");
      if (linkSpec != null) {
        field(el, linkSpec, "link").ifPresent(b::url);
      }
      String sponsored = o.getString("sponsored");
      if (sponsored != null) {
        b.sponsored(select(el, sponsored, "sponsored") != null);
      }
      listings.putIfAbsent(id, b.build());
    }
    Optional<URI> next = Optional.empty();
    String nextSpec = o.getString("next");
    if (nextSpec != null) {
      next = field(doc, nextSpec, "next").map(URI::create);
    }
    return new PageResult(new ArrayList<>(listings.values()), next);
  }

  /** Reads {@code "css"}, {@code "css@attr"} or {@code "@attr"} relative to {@code root}. */
  private static Optional<String> field(Element root, String spec, String option)
      throws PageParseException {
    int at = spec.lastIndexOf('@');
    String css = at < 0 ? spec : spec.substring(0, at).trim();
    String attr = at < 0 ? null : spec.substring(at + 1).trim();
    Element target = css.isEmpty() ? root : select(root, css, option);
    if (target == null) {
      return Optional.empty();
    }
    String value;
    if (attr == null) {
      value = target.text();
    } else if (attr.equals("href") || attr.equals("src")) {
      value = target.absUrl(attr).isEmpty() ? target.attr(attr) : target.absUrl(attr);
    } else {
      value = target.attr(attr);
    }
    value = value.trim();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private static Element select(Element root, String css, String option) throws PageParseException {
    try {
      return root.selectFirst(css);
    } catch (Selector.SelectorParseException e) {
      throw new PageParseException(
          "options." + option + " is not a valid CSS selector: " + e.getMessage(), e);
    }
  }

  private static String required(JsonObject o, String key) throws PageParseException {
    Object v = o.getValue(key);
    if (!(v instanceof String s) || s.isBlank()) {
      throw new PageParseException("the selectors adapter needs options." + key);
    }
    return s;
  }
}
