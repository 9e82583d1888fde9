package dev.gputracker.api.listings;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Listings as RFC 4180 CSV, written in chunks of rows so a large export never sits whole in memory
 * twice. Cells that a spreadsheet would run as a formula are prefixed with a quote (CSV injection).
 */
final class Csv {
  static final List<String> COLUMNS =
      Stream.concat(ListingJson.NAMES.stream(), Stream.of("median_usd", "vs_median_pct")).toList();
  private static final int ROWS_PER_CHUNK = 500;

  private Csv() {}

  static void write(
      RoutingContext ctx, RowSet<Row> rows, int limit, Map<String, BigDecimal> medians) {
    HttpServerResponse response =
        ctx.response()
            .setChunked(true)
            .putHeader("content-type", "text/csv; charset=utf-8")
            .putHeader("content-disposition", "attachment; filename=\"listings.csv\"");
    StringBuilder chunk =
        new StringBuilder(64 * 1024).append(String.join(",", COLUMNS)).append("\r\n");
    int n = 0;
    for (Row row : rows) {
      if (n++ == limit) {
        break;
      }
      JsonObject item = ListingsHandler.withDeal(ListingsHandler.json(row), row, medians);
      for (int i = 0; i < COLUMNS.size(); i++) {
        if (i > 0) {
          chunk.append(',');
        }
        chunk.append(cell(item.getValue(COLUMNS.get(i))));
      }
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
