package dev.gputracker.api.listings;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Listings as RFC 4180 CSV, written in chunks of rows so a large export never sits whole in memory
 * twice. Cells that a spreadsheet would run as a formula are prefixed with a quote (CSV injection).
 */
final class Csv {
  /** The header: {@link ListingColumns}' CSV names, then the deal's. */
  static final String HEADER = String.join(",", ListingColumns.csvHeader());

  private static final int ROWS_PER_CHUNK = 500;

  private Csv() {}

  static void write(
      RoutingContext ctx, RowSet<Row> rows, int limit, Map<String, BigDecimal> medians) {
    HttpServerResponse response =
        ctx.response()
            .setChunked(true)
            .putHeader("content-type", "text/csv; charset=utf-8")
            .putHeader("content-disposition", "attachment; filename=\"listings.csv\"");
    StringBuilder chunk = new StringBuilder(64 * 1024).append(HEADER).append("\r\n");
    int[] index = null;
    int deal = -1;
    int n = 0;
    for (Row row : rows) {
      if (n++ == limit) {
        break;
      }
      if (index == null) {
        index = ListingJson.columns(row);
        deal = ListingJson.dealColumn(row);
      }
      // The cells of ListingsHandler.json's fields, in ListingColumns' order: the same values.
      for (int i = 0; i < index.length; i++) {
        chunk.append(cell(ListingJson.value(row, index[i]))).append(',');
      }
      BigDecimal median = ListingJson.median(row, index, medians);
      String vs = ListingJson.vsMedianPct(row, index, deal, median);
      chunk.append(cell(ListingJson.medianUsd(vs, median))).append(',').append(cell(vs));
      chunk.append("\r\n");
      if (n % ROWS_PER_CHUNK == 0) {
        response.write(Buffer.buffer(chunk.toString()));
        chunk.setLength(0);
      }
    }
    response.end(Buffer.buffer(chunk.toString()));
  }

  static String cell(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.]+")) {
      s = "'" + s;
    }
    if (s.indexOf(',') >= 0
        || s.indexOf('"') >= 0
        || s.indexOf('\n') >= 0
        || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
