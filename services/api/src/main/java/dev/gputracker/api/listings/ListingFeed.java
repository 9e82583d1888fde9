package dev.gputracker.api.listings;

import dev.gputracker.api.ApiSql;
import dev.gputracker.api.http.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * {@code GET /api/listings/feed}: any listing search as an Atom feed (RFC 4287), so a feed reader
 * alerts its user to what the search would newly show: a listing first seen, or a price that
 * dropped. It takes the search's parameters (the same validation, the same conditions); the order,
 * the cursor and the page size do not apply. Entries are the last 30 days' sightings and drops,
 * newest first, at most 50; each entry's id names the listing and the moment of its price, so a
 * reader shows each event once.
 */
public final class ListingFeed {
  private final Pool pool;

  public ListingFeed(Pool pool) {
    this.pool = pool;
  }

  public void feed(RoutingContext ctx) {
    ListingQuery query;
    try {
      query = ListingQuery.parse(ctx.queryParams());
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    String sql = String.format(ApiSql.FEED, String.join(" AND ", query.filters));
    pool.preparedQuery(sql)
        .execute(query.filterParams)
        .onSuccess(
            rows -> {
              URI uri = URI.create(ctx.request().absoluteURI());
              // Behind a TLS-terminating proxy (Railway, an ingress) the reader's scheme is the
              // forwarded one.
              String proto = ctx.request().getHeader("x-forwarded-proto");
              String scheme =
                  "https".equals(proto) || "http".equals(proto) ? proto : uri.getScheme();
              String base = scheme + "://" + uri.getRawAuthority();
              String self =
                  base
                      + uri.getRawPath()
                      + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
              String search = ctx.request().query() == null ? "" : ctx.request().query();
              StringBuilder entries = new StringBuilder();
              OffsetDateTime updated = null;
              for (Row r : rows) {
                OffsetDateTime at = r.getOffsetDateTime("observed_at");
                updated = updated == null || at.isAfter(updated) ? at : updated;
                entries.append(entry(r, base));
              }
              StringBuilder xml =
                  new StringBuilder(entries.length() + 1024)
                      .append(
                          "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n")
                      .append("  <id>")
                      .append(esc(self))
                      .append("</id>\n")
                      .append("  <title>")
                      .append(
                          esc(
                              "GPU Tracker: "
                                  + (search.isEmpty()
                                      ? "all listings"
                                      : "listings matching "
                                          + URLDecoder.decode(search, StandardCharsets.UTF_8)
                                              .replace("&", ", "))))
                      .append("</title>\n")
                      .append("  <subtitle>New listings and price drops</subtitle>\n")
                      .append("  <updated>")
                      .append(time(updated == null ? OffsetDateTime.now() : updated))
                      .append("</updated>\n")
                      .append("  <link rel=\"self\" type=\"application/atom+xml\" href=\"")
                      .append(esc(self))
                      .append("\"/>\n")
                      .append("  <link rel=\"alternate\" type=\"text/html\" href=\"")
                      .append(esc(base + "/" + (search.isEmpty() ? "" : "?" + search)))
                      .append("\"/>\n")
                      .append("  <author><name>GPU Tracker</name></author>\n")
                      .append("  <generator>GPU Tracker</generator>\n")
                      .append(entries)
                      .append("</feed>\n");
              ctx.response()
                  .putHeader("content-type", "application/atom+xml; charset=utf-8")
                  .putHeader("cache-control", "max-age=60")
                  .end(xml.toString());
            })
        .onFailure(ctx::fail);
  }

  private static String entry(Row r, String base) {
    long id = r.getLong("id");
    OffsetDateTime at = r.getOffsetDateTime("observed_at");
    String price = money(r.getString("price"), r.getString("currency"), r.getString("price_unit"));
    boolean drop = r.getString("previous_price") != null;
    String title =
        (drop ? "Price drop: " : "New: ")
            + r.getString("title")
            + " — "
            + price
            + (drop
                ? " (was "
                    + money(
                        r.getString("previous_price"),
                        r.getString("previous_currency"),
                        r.getString("price_unit"))
                    + ")"
                : "");
    String link = r.getString("url") != null ? r.getString("url") : base + "/?listing=" + id;
    String summary =
        (r.getString("gpu_slug") == null ? "unknown model" : r.getString("gpu_slug"))
            + " · "
            + r.getString("kind")
            + (r.getInteger("gpu_count") > 1 ? " · " + r.getInteger("gpu_count") + " GPUs" : "")
            + " · "
            + r.getString("source")
            + " · "
            + price
            + (r.getString("price_usd") == null
                ? ""
                : " (" + money(r.getString("price_usd"), "USD", r.getString("price_unit")) + ")");
    return "  <entry>\n"
        + "    <id>"
        + esc(base + "/api/listings/" + id + "#price-" + at.toInstant().toEpochMilli())
        + "</id>\n"
        + "    <title>"
        + esc(title)
        + "</title>\n"
        + "    <updated>"
        + time(at)
        + "</updated>\n"
        + "    <link rel=\"alternate\" href=\""
        + esc(link)
        + "\"/>\n"
        + "    <link rel=\"related\" href=\""
        + esc(base + "/?listing=" + id)
        + "\" title=\"price history\"/>\n"
        + "    <category term=\""
        + (drop ? "price_drop" : "new_listing")
        + "\"/>\n"
        + "    <summary type=\"text\">"
        + esc(summary)
        + "</summary>\n"
        + "  </entry>\n";
  }

  /**
   * A price as a reader writes it: cents for a total, the source's precision per hour; its currency
   * and unit.
   */
  private static String money(String amount, String currency, String unit) {
    if (amount == null) {
      return "no price";
    }
    BigDecimal v = new BigDecimal(amount).stripTrailingZeros();
    if (v.scale() < 2) {
      v = v.setScale(2);
    }
    return v.toPlainString() + " " + currency + ("hour".equals(unit) ? "/hour" : "");
  }

  private static String time(OffsetDateTime t) {
    return Json.iso(t.withOffsetSameInstant(ZoneOffset.UTC));
  }

  /** XML text and attribute escaping; characters XML 1.0 forbids are dropped. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
