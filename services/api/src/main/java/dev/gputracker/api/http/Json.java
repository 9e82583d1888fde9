package dev.gputracker.api.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.function.Function;
import java.util.zip.CRC32C;

/** JSON response helpers shared by the resources. */
public final class Json {
  private Json() {}

  /**
   * Sends {@code body} with a weak ETag of its bytes; a client that already holds this version
   * ({@code If-None-Match}) gets a 304 without a body.
   */
  public static void send(RoutingContext ctx, JsonObject body) {
    send(ctx, encode(body.toBuffer()));
  }

  /** A response body with its ETag, computed once (cached bodies are sent many times). */
  public record Encoded(Buffer bytes, String etag) {}

  public static Encoded encode(Buffer bytes) {
    byte[] array = bytes.getBytes();
    return new Encoded(bytes, etag(array, array.length));
  }

  /**
   * The first {@code length} bytes of {@code bytes} (copied: the array may be reused once this
   * returns).
   */
  public static Encoded encode(byte[] bytes, int length) {
    return new Encoded(Buffer.buffer(length).appendBytes(bytes, 0, length), etag(bytes, length));
  }

  private static String etag(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return "W/\"" + Integer.toHexString(length) + "-" + Long.toHexString(crc.getValue()) + "\"";
  }

  /**
   * {@code handler} with whatever it throws failing the request, so that a bug while writing a
   * response is a 500 problem at once rather than a request that hangs until its timeout (a
   * future's callback cannot throw to anyone).
   */
  public static <T> Handler<T> guarded(RoutingContext ctx, Handler<T> handler) {
    return value -> {
      try {
        handler.handle(value);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    };
  }

  public static void send(RoutingContext ctx, Encoded body) {
    if (ctx.response().ended()) {
      return; // the request timed out (503) while its query ran
    }
    Buffer bytes = body.bytes();
    String etag = body.etag();
    ctx.response().putHeader("etag", etag).putHeader("cache-control", "no-cache");
    String ifNoneMatch = ctx.request().getHeader("if-none-match");
    if (ifNoneMatch != null
        && (ifNoneMatch.trim().equals("*")
            || Arrays.stream(ifNoneMatch.split(",")).map(String::trim).anyMatch(etag::equals))) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response().putHeader("content-type", "application/json").end(bytes);
  }

  /**
   * Sends a page of a keyset-paginated list, newest first by id: the first {@code limit} rows as
   * {@code items}, and when the query found one more row (it asks for {@code limit + 1}), the last
   * item's id as {@code next_cursor}.
   */
  public static void sendIdPage(
      RoutingContext ctx, RowSet<Row> rows, int limit, Function<Row, JsonObject> item) {
    JsonArray items = new JsonArray();
    Long next = null;
    for (Row r : rows) {
      if (items.size() == limit) {
        next = items.getJsonObject(limit - 1).getLong("id");
        break;
      }
      items.add(item.apply(r));
    }
    send(
        ctx,
        new JsonObject()
            .put("items", items)
            .put("next_cursor", next == null ? null : next.toString()));
  }

  /** ISO-8601, as every route writes timestamps (see {@link IsoTime}). */
  public static String iso(OffsetDateTime t) {
    return IsoTime.format(t);
  }
}
