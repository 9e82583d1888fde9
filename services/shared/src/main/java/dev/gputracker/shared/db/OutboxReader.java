package dev.gputracker.shared.db;

import dev.gputracker.shared.events.EncodedEvent;
import dev.gputracker.shared.events.OutboxEvent;
import dev.gputracker.shared.events.OutboxEvent.Position;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the outbox in position order: the Kafka relay and the API's live stream both read through
 * this.
 */
public final class OutboxReader {
  private OutboxReader() {}

  /**
   * Up to {@code limit} events after {@code after}, oldest first, each already encoded as its
   * CloudEvents envelope (UTF-8 JSON bytes) around the payload text from the database, which is
   * never parsed.
   */
  public static Future<List<EncodedEvent>> after(SqlClient db, Position after, int limit) {
    return db.preparedQuery(DbSql.OUTBOX_AFTER)
        .execute(Tuple.of(Long.toString(after.tx()), after.id(), limit))
        .map(
            rows -> {
              List<EncodedEvent> events = new ArrayList<>(rows.size());
              for (Row r : rows) {
                events.add(
                    EncodedEvent.of(
                        new Position(r.getLong("tx"), r.getLong("id")),
                        r.getUUID("event_id"),
                        r.getString("type"),
                        r.getString("source"),
                        r.getString("subject"),
                        r.getString("key"),
                        r.getString("gpu"),
                        r.getOffsetDateTime("time"),
                        r.getString("data")));
              }
              return events;
            });
  }

  /** As {@link #after}, each envelope parsed: for readers that look inside (tests, tools). */
  public static Future<List<OutboxEvent>> parsedAfter(SqlClient db, Position after, int limit) {
    return after(db, after, limit).map(events -> events.stream().map(OutboxEvent::of).toList());
  }

  /** The newest position every reader can see, or {@link Position#START} for an empty outbox. */
  public static Future<Position> end(SqlClient db) {
    return db.preparedQuery(DbSql.OUTBOX_END)
        .execute(Tuple.tuple())
        .map(
            rows ->
                rows.size() == 0
                    ? Position.START
                    : new Position(
                        rows.iterator().next().getLong("tx"),
                        rows.iterator().next().getLong("id")));
  }
}
