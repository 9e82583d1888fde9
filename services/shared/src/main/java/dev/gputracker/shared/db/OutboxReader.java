package dev.gputracker.shared.db;

import dev.gputracker.shared.events.OutboxEvent;
import dev.gputracker.shared.events.OutboxEvent.Position;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Reads the outbox in position order: the Kafka relay and the API's live stream both read through this. */
public final class OutboxReader {
  private OutboxReader() {}

  /** Up to {@code limit} events after {@code after}, oldest first. */
  public static Future<List<OutboxEvent>> after(SqlClient db, Position after, int limit) {
    return db.preparedQuery(DbSql.OUTBOX_AFTER)
        .execute(Tuple.of(Long.toString(after.tx()), after.id(), limit))
        .map(rows -> {
          List<OutboxEvent> events = new ArrayList<>(rows.size());
          for (Row r : rows) {
            Object data = r.getValue("data");
            events.add(new OutboxEvent(new Position(r.getLong("tx"), r.getLong("id")), r.getUUID("event_id"),
                r.getString("type"), r.getString("source"), r.getString("subject"), r.getString("key"),
                r.getString("gpu"), r.getOffsetDateTime("time"),
                data instanceof JsonObject j ? j : new JsonObject(String.valueOf(data))));
          }
          return events;
        });
  }

  /**
   * As {@link #after}, each event already encoded as its CloudEvents envelope (UTF-8 JSON bytes) around the payload
   * text from the database, which is never parsed: what the Kafka relay sends.
   */
  public static Future<List<dev.gputracker.shared.events.EncodedEvent>> encodedAfter(SqlClient db, Position after,
      int limit) {
    return db.preparedQuery(DbSql.OUTBOX_AFTER_RAW)
        .execute(Tuple.of(Long.toString(after.tx()), after.id(), limit))
        .map(rows -> {
          List<dev.gputracker.shared.events.EncodedEvent> events = new ArrayList<>(rows.size());
          for (Row r : rows) {
            Position p = new Position(r.getLong("tx"), r.getLong("id"));
            events.add(dev.gputracker.shared.events.EncodedEvent.of(p, r.getUUID("event_id"), r.getString("type"),
                r.getString("source"), r.getString("subject"), r.getString("key"), r.getOffsetDateTime("time"),
                r.getString("data")));
          }
          return events;
        });
  }

  /** The newest position every reader can see, or {@link Position#START} for an empty outbox. */
  public static Future<Position> end(SqlClient db) {
    return db.preparedQuery(DbSql.OUTBOX_END).execute(Tuple.tuple()).map(rows -> rows.size() == 0 ? Position.START
        : new Position(rows.iterator().next().getLong("tx"), rows.iterator().next().getLong("id")));
  }
}
