package dev.gputracker.api.listings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.gputracker.api.http.IsoTime;
import dev.gputracker.api.http.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A page of listings written straight from the rows to JSON bytes with Jackson's streaming generator: no map per
 * listing, no lookup of columns by name per value. This is the API's hottest path; the fields and their order are
 * those of {@link ListingsHandler#json(Row)}, which the other routes use.
 */
final class ListingJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  /**
   * The listing columns of {@code ApiSql.SELECT}, in its order, as field names: of JSON listings here and in
   * {@link ListingsHandler#json(Row)}, and of the CSV export's header.
   */
  static final List<String> NAMES = List.of("id", "source", "external_id", "kind", "title", "gpu", "vendor",
      "price", "currency", "price_unit", "price_usd", "price_per_gb", "price_per_tflop", "perf_index", "value",
      "gpu_count", "vram_gb", "condition", "location", "seller", "url", "sponsored", "first_seen_at", "last_seen_at",
      "price_changed_at", "active", "removed_at");
  private static final String[] COLUMNS = {"id", "source", "external_id", "kind", "title", "gpu_slug", "vendor",
      "price", "currency", "price_unit", "price_usd", "price_per_gb", "price_per_tflop", "perf_index", "value",
      "gpu_count", "vram_gb", "condition", "location", "seller", "url", "sponsored", "first_seen_at", "last_seen_at",
      "price_changed_at", "active", "removed_at"};

  /** The field names encoded once: a page writes each of them fifty times. */
  private static final SerializedString[] FIELDS = NAMES.stream().map(SerializedString::new)
      .toArray(SerializedString[]::new);

  private ListingJson() {}

  /** {@code {"items":[...],"next_cursor":...}} for the first {@code items.size()} rows. */
  static Buffer page(List<Row> items, String nextCursor, String displayCurrency) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + items.size() * 700);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("items");
      int[] index = null;
      int display = -1;
      char[] time = new char[IsoTime.QUOTED_MAX];
      for (Row row : items) {
        if (index == null) {
          index = columns(row);
          display = displayCurrency == null ? -1 : row.getColumnIndex("display_price");
        }
        write(g, row, index, time);
        if (display >= 0) {
          g.writeStringField("display_price", row.getString(display));
          g.writeStringField("display_currency", displayCurrency);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("next_cursor", nextCursor);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  /** The positions of {@link #NAMES}' columns in the rows of a result. */
  static int[] columns(Row row) {
    int[] index = new int[COLUMNS.length];
    for (int i = 0; i < COLUMNS.length; i++) {
      index[i] = row.getColumnIndex(COLUMNS[i]);
    }
    return index;
  }

  /** A column's value as the API shows it: timestamps as ISO-8601 text, numbers and text as they come. */
  static Object value(Row r, int column) {
    Object value = r.getValue(column);
    return value instanceof java.time.OffsetDateTime t ? Json.iso(t) : value;
  }

  /** One listing's fields, leaving its object open for additions. */
  private static void write(JsonGenerator g, Row r, int[] c, char[] time) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < FIELDS.length; i++) {
      Object value = r.getValue(c[i]);
      g.writeFieldName(FIELDS[i]);
      if (value == null) {
        g.writeNull();
      } else if (value instanceof String s) {
        g.writeString(s);
      } else if (value instanceof java.time.OffsetDateTime t) {
        // Straight into the output: ISO-8601 needs no escaping, and the string would be garbage at once.
        int n = IsoTime.formatQuoted(t, time);
        if (n > 0) {
          g.writeRawValue(time, 0, n);
        } else {
          g.writeString(IsoTime.format(t));
        }
      } else if (value instanceof Long l) {
        g.writeNumber(l);
      } else if (value instanceof Integer n) {
        g.writeNumber(n);
      } else if (value instanceof Boolean b) {
        g.writeBoolean(b);
      } else {
        g.writeString(value.toString());
      }
    }
  }
}
