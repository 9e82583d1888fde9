package dev.gputracker.api.listings;

import dev.gputracker.api.http.Json;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A page of listings written straight from the rows to JSON bytes ({@link JsonBytes}): no map per
 * listing, no lookup of columns by name per value, no generator state. This is the API's hottest
 * path; the fields and their order are those of {@link ListingsHandler#json(Row)}, which the other
 * routes use.
 */
final class ListingJson {
  /**
   * The listing columns of {@code ApiSql.SELECT}, in its order, as field names: of JSON listings
   * here and in {@link ListingsHandler#json(Row)}, and of the CSV export's header.
   */
  static final List<String> NAMES =
      List.of(
          "id",
          "source",
          "external_id",
          "kind",
          "title",
          "gpu",
          "vendor",
          "price",
          "currency",
          "price_unit",
          "price_usd",
          "price_per_gb",
          "price_per_tflop",
          "perf_index",
          "value",
          "gpu_count",
          "vram_gb",
          "condition",
          "location",
          "seller",
          "url",
          "sponsored",
          "first_seen_at",
          "last_seen_at",
          "price_changed_at",
          "active",
          "removed_at");

  private static final String[] COLUMNS = {
    "id",
    "source",
    "external_id",
    "kind",
    "title",
    "gpu_slug",
    "vendor",
    "price",
    "currency",
    "price_unit",
    "price_usd",
    "price_per_gb",
    "price_per_tflop",
    "perf_index",
    "value",
    "gpu_count",
    "vram_gb",
    "condition",
    "location",
    "seller",
    "url",
    "sponsored",
    "first_seen_at",
    "last_seen_at",
    "price_changed_at",
    "active",
    "removed_at"
  };

  /**
   * The field names encoded once with their separators ({@code {"id":}, {@code ,"source":}, ...): a page writes each
   * of them fifty times.
   */
  private static final byte[][] FIELDS = new byte[NAMES.size()][];

  private static final byte[] ITEMS = ascii("{\"items\":[");
  private static final byte[] NEXT_CURSOR = ascii(",\"next_cursor\":");
  private static final byte[] END_ITEMS = ascii("]");
  private static final byte[] RATES = ascii(",\"rates\":{\"currency\":");
  private static final byte[] RATES_SOURCE = ascii(",\"source\":");
  private static final byte[] RATES_DATE = ascii(",\"date\":");
  private static final byte[] DISPLAY_PRICE = ascii(",\"display_price\":");
  private static final byte[] DISPLAY_CURRENCY = ascii(",\"display_currency\":");
  private static final byte[] MEDIAN_USD = ascii(",\"median_usd\":");
  private static final byte[] VS_MEDIAN_PCT = ascii(",\"vs_median_pct\":");

  static {
    for (int i = 0; i < FIELDS.length; i++) {
      FIELDS[i] = ascii((i == 0 ? "{" : ",") + "\"" + NAMES.get(i) + "\":");
    }
  }

  /** Where pages are written: one per event loop, reused (see {@link JsonBytes}). */
  private static final ThreadLocal<JsonBytes> OUT = ThreadLocal.withInitial(JsonBytes::new);

  private ListingJson() {}

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * {@code {"items":[...],"next_cursor":...}} for the first {@code items.size()} rows, with its
   * ETag.
   */
  static Json.Encoded page(
      List<Row> items, String nextCursor, String displayCurrency, Map<String, BigDecimal> medians) {
    JsonBytes out = OUT.get();
    out.reset();
    out.raw(ITEMS);
    int[] index = null;
    int display = -1;
    int deal = -1;
    String ratesSource = null;
    String ratesDate = null;
    for (Row row : items) {
      if (index == null) {
        index = columns(row);
        display = displayCurrency == null ? -1 : row.getColumnIndex("display_price");
        if (display >= 0) {
          ratesSource = row.getString("fx_source");
          ratesDate = row.getString("fx_date");
        }
        deal = row.getColumnIndex("vs_median_pct");
      } else {
        out.raw(',');
      }
      write(out, row, index);
      if (display >= 0) {
        out.raw(DISPLAY_PRICE);
        out.string(row.getString(display));
        out.raw(DISPLAY_CURRENCY);
        out.string(displayCurrency);
      }
      // The deal: the deal order's own SQL figure where it sorted by it, else the same formula
      // here.
      BigDecimal median = medians.get(row.getString(index[5]));
      String vs;
      if (deal >= 0) {
        vs = row.getString(deal);
      } else {
        BigDecimal pct =
            Deal.vsMedianPct(
                row.getString(index[3]),
                row.getString(index[10]),
                row.getInteger(index[15]),
                median);
        vs = pct == null ? null : pct.toPlainString();
      }
      out.raw(MEDIAN_USD);
      out.string(vs == null ? null : median.toPlainString());
      out.raw(VS_MEDIAN_PCT);
      out.string(vs);
      out.raw('}');
    }
    out.raw(END_ITEMS);
    if (displayCurrency != null) {
      // Which rates the display prices used: the stored ECB rates, or the bundled ones while none
      // are stored.
      out.raw(RATES);
      out.string(displayCurrency);
      out.raw(RATES_SOURCE);
      out.string(ratesSource);
      out.raw(RATES_DATE);
      out.string(ratesDate);
      out.raw('}');
    }
    out.raw(NEXT_CURSOR);
    out.string(nextCursor);
    out.raw('}');
    return out.encoded();
  }

  /** The positions of {@link #NAMES}' columns in the rows of a result. */
  static int[] columns(Row row) {
    int[] index = new int[COLUMNS.length];
    for (int i = 0; i < COLUMNS.length; i++) {
      index[i] = row.getColumnIndex(COLUMNS[i]);
    }
    return index;
  }

  /**
   * A column's value as the API shows it: timestamps as ISO-8601 text, numbers and text as they
   * come.
   */
  static Object value(Row r, int column) {
    Object value = r.getValue(column);
    return value instanceof OffsetDateTime t ? Json.iso(t) : value;
  }

  /** One listing's fields, leaving its object open for additions. */
  private static void write(JsonBytes out, Row r, int[] c) {
    for (int i = 0; i < FIELDS.length; i++) {
      Object value = r.getValue(c[i]);
      out.raw(FIELDS[i]);
      if (value == null) {
        out.nul();
      } else if (value instanceof String s) {
        out.string(s);
      } else if (value instanceof OffsetDateTime t) {
        out.time(t);
      } else if (value instanceof Long l) {
        out.number(l);
      } else if (value instanceof Integer n) {
        out.number(n);
      } else if (value instanceof Boolean b) {
        out.bool(b);
      } else {
        out.string(value.toString());
      }
    }
  }
}
