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
 * path. The fields, their order and their types are {@link ListingColumns}', whose JSON names are
 * encoded here once; {@link ListingsHandler#json(Row, Map)}, which the one-listing route uses, and
 * the CSV export read the same list.
 */
final class ListingJson {
  /**
   * The shown columns' field names encoded once with their separators ({@code {"id":}, {@code
   * ,"source":}, ...): a page writes each of them fifty times.
   */
  private static final byte[][] FIELDS = new byte[ListingColumns.SHOWN_COUNT][];

  /** The shown columns' types, by position: what each value is written as. */
  private static final ListingColumns.Type[] TYPES = new ListingColumns.Type[FIELDS.length];

  private static final byte[] ITEMS = ascii("{\"items\":[");
  private static final byte[] NEXT_CURSOR = ascii(",\"next_cursor\":");
  private static final byte[] END_ITEMS = ascii("]");
  private static final byte[] RATES = ascii(",\"rates\":{\"currency\":");
  private static final byte[] RATES_SOURCE = ascii(",\"source\":");
  private static final byte[] RATES_DATE = ascii(",\"date\":");
  private static final byte[] DISPLAY_PRICE = ascii(",\"display_price\":");
  private static final byte[] DISPLAY_CURRENCY = ascii(",\"display_currency\":");
  private static final byte[] MEDIAN_USD = field(ListingColumns.DEAL_FIELDS.get(0));
  private static final byte[] VS_MEDIAN_PCT = field(ListingColumns.DEAL_FIELDS.get(1));

  /** The deal order's own figure, where a search sorted by it. */
  private static final String DEAL_COLUMN = ListingColumns.DEAL_FIELDS.get(1);

  static {
    for (int i = 0; i < FIELDS.length; i++) {
      ListingColumns column = ListingColumns.SHOWN[i];
      FIELDS[i] = i == 0 ? ascii("{\"" + column.json + "\":") : field(column.json);
      TYPES[i] = column.type;
    }
  }

  /** Where pages are written: one per event loop, reused (see {@link JsonBytes}). */
  private static final ThreadLocal<JsonBytes> OUT = ThreadLocal.withInitial(JsonBytes::new);

  private ListingJson() {}

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code ,"name":}, a field after the first. */
  private static byte[] field(String name) {
    return ascii(",\"" + name + "\":");
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
        deal = row.getColumnIndex(DEAL_COLUMN);
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
      BigDecimal median = median(row, index, medians);
      String vs = vsMedianPct(row, index, deal, median);
      out.raw(MEDIAN_USD);
      out.string(medianUsd(vs, median));
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

  /**
   * The positions of the shown {@link ListingColumns} in the rows of a result, by ordinal: looked
   * up once per result, by name, so a select that adds columns (another currency, the deal) still
   * reads each where it is.
   */
  static int[] columns(Row row) {
    int[] index = new int[ListingColumns.SHOWN_COUNT];
    for (int i = 0; i < index.length; i++) {
      index[i] = row.getColumnIndex(ListingColumns.SHOWN[i].column);
    }
    return index;
  }

  /** The position of the deal order's own figure in a result's rows, or -1 where it has none. */
  static int dealColumn(Row row) {
    return row.getColumnIndex(DEAL_COLUMN);
  }

  /** The median sale price per GPU (USD) of the listing's model, or null. */
  static BigDecimal median(Row row, int[] index, Map<String, BigDecimal> medians) {
    return medians.get(row.getString(index[ListingColumns.GPU.ordinal()]));
  }

  /**
   * The listing's deal ({@code vs_median_pct}): the deal order's own SQL figure where the row has
   * it ({@code deal}, its position, else -1), else {@link Deal}'s, the same formula.
   */
  static String vsMedianPct(Row row, int[] index, int deal, BigDecimal median) {
    if (deal >= 0) {
      return row.getString(deal);
    }
    BigDecimal pct =
        Deal.vsMedianPct(
            row.getString(index[ListingColumns.KIND.ordinal()]),
            row.getString(index[ListingColumns.PRICE_USD.ordinal()]),
            row.getInteger(index[ListingColumns.GPU_COUNT.ordinal()]),
            median);
    return pct == null ? null : pct.toPlainString();
  }

  /** {@code median_usd}: the median a deal was measured against, where the listing has a deal. */
  static String medianUsd(String vsMedianPct, BigDecimal median) {
    return vsMedianPct == null ? null : median.toPlainString();
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
        continue;
      }
      switch (TYPES[i]) {
        case TEXT -> out.string((String) value);
        case TIMESTAMP -> out.time((OffsetDateTime) value);
        case BIGINT -> out.number((Long) value);
        case INTEGER -> out.number((Integer) value);
        case BOOLEAN -> out.bool((Boolean) value);
      }
    }
  }
}
