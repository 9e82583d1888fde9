package dev.gputracker.api.listings;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A listing's columns, once, in the order a search selects them and a listing shows them: each
 * column's SQL expression, its result column, its JSON field and CSV header, and the Java type its
 * value decodes to. The select list ({@link ListingSelects}), the JSON page writer ({@link
 * ListingJson}, which pre-encodes the field names from here), the JSON object of one listing and
 * the CSV export ({@link Csv}) all read this list, so none of them can disagree with another about
 * a position.
 *
 * <p>All values come from the listing's own row: the source's name, the model's vendor and
 * performance index and the figures are V16's stored copies. Prices are written in their currency's
 * minor units ({@code money_text}, V25). The columns a listing shows come first; after them, those
 * only the server reads (a cursor's exact key).
 */
public enum ListingColumns {
  ID("l.id", "id", Type.BIGINT),
  SOURCE("l.source_name", "source", Type.TEXT),
  EXTERNAL_ID("l.external_id", "external_id", Type.TEXT),
  KIND("l.kind", "kind", Type.TEXT),
  TITLE("l.title", "title", Type.TEXT),
  /** The model's catalog slug: {@code gpu} to a reader, {@code gpu_slug} in SQL. */
  GPU("gpu_slug", "l.gpu_slug", "gpu", Type.TEXT),
  VENDOR("l.vendor", "vendor", Type.TEXT),
  PRICE("money_text(l.price, l.currency, l.price_unit = 'hour')", "price", Type.TEXT),
  CURRENCY("l.currency", "currency", Type.TEXT),
  PRICE_UNIT("l.price_unit", "price_unit", Type.TEXT),
  PRICE_USD("money_text(l.price_usd, 'USD', l.price_unit = 'hour')", "price_usd", Type.TEXT),
  /**
   * The comparable figures, per GPU, in USD (V16's {@code listing_price_per_gb()} and its siblings
   * define them; triggers keep them exact): what the figure orders key on, so a cursor carries
   * exactly the value shown.
   */
  PRICE_PER_GB("l.price_per_gb::text", "price_per_gb", Type.TEXT),
  PRICE_PER_TFLOP("l.price_per_tflop::text", "price_per_tflop", Type.TEXT),
  PERF_INDEX("l.perf_index::text", "perf_index", Type.TEXT),
  VALUE("l.value::text", "value", Type.TEXT),
  GPU_COUNT("l.gpu_count", "gpu_count", Type.INTEGER),
  VRAM_GB("l.vram_gb::text", "vram_gb", Type.TEXT),
  CONDITION("l.condition", "condition", Type.TEXT),
  LOCATION("l.location", "location", Type.TEXT),
  SELLER("l.seller", "seller", Type.TEXT),
  URL("l.url", "url", Type.TEXT),
  SPONSORED("l.sponsored", "sponsored", Type.BOOLEAN),
  FIRST_SEEN_AT("l.first_seen_at", "first_seen_at", Type.TIMESTAMP),
  LAST_SEEN_AT("l.last_seen_at", "last_seen_at", Type.TIMESTAMP),
  PRICE_CHANGED_AT("l.price_changed_at", "price_changed_at", Type.TIMESTAMP),
  ACTIVE("l.active", "active", Type.BOOLEAN),
  REMOVED_AT("l.removed_at", "removed_at", Type.TIMESTAMP),
  /** The exact USD price the price orders' cursors carry; not shown. */
  PRICE_USD_KEY("price_usd_key", "l.price_usd::text", null, Type.TEXT);

  /** What a column's value decodes to, so the writers need no test of its class. */
  public enum Type {
    BIGINT,
    INTEGER,
    TEXT,
    BOOLEAN,
    TIMESTAMP
  }

  /**
   * The fields that follow a listing's columns in JSON and CSV: the listing's deal, computed
   * against the market's median ({@link Deal}; the {@code deal} order's own SQL figure where it
   * sorted by it).
   */
  public static final List<String> DEAL_FIELDS = List.of("median_usd", "vs_median_pct");

  /** The columns a listing shows (JSON and CSV), in order: the first {@link #SHOWN_COUNT}. */
  static final ListingColumns[] SHOWN;

  static final int SHOWN_COUNT;

  static {
    ListingColumns[] all = values();
    int shown = 0;
    while (shown < all.length && all[shown].json != null) {
      shown++;
    }
    for (int i = shown; i < all.length; i++) {
      if (all[i].json != null) {
        // The writers loop over the first columns: a shown column after a hidden one would be lost.
        throw new IllegalStateException(
            "listing column " + all[i] + " is shown but follows a column that is not");
      }
    }
    SHOWN = Arrays.copyOf(all, shown);
    SHOWN_COUNT = shown;
  }

  /** The SQL expression: the column's value, read from the listing as {@code l}. */
  public final String sql;

  /** The result column's name (its alias in the select list). */
  public final String column;

  /** The JSON field, or null for a column only the server reads. */
  public final String json;

  /** The CSV header cell, or null for a column only the server reads. */
  public final String csv;

  public final Type type;

  /** A column whose result column is named as its JSON field. */
  ListingColumns(String sql, String json, Type type) {
    this(json, sql, json, type);
  }

  ListingColumns(String column, String sql, String json, Type type) {
    this.column = column;
    this.sql = sql;
    this.json = json;
    this.csv = json;
    this.type = type;
  }

  /**
   * The select list ({@code l.id, l.source_name AS source, ...}): every column, aliased to its
   * result column name where the expression is not that column already.
   */
  public static String selectList() {
    return Stream.of(values())
        .map(c -> c.sql.equals("l." + c.column) ? c.sql : c.sql + " AS " + c.column)
        .collect(Collectors.joining(", "));
  }

  /** A listing's JSON fields, in the order they are written: its columns, then its deal. */
  public static List<String> jsonFields() {
    return Stream.concat(Stream.of(SHOWN).map(c -> c.json), DEAL_FIELDS.stream()).toList();
  }

  /** The CSV export's header cells, in order: the listing's columns, then its deal. */
  public static List<String> csvHeader() {
    return Stream.concat(Stream.of(SHOWN).map(c -> c.csv), DEAL_FIELDS.stream()).toList();
  }
}
