package dev.gputracker.shared.events;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * One row of the outbox and the CloudEvents envelope it is published as (structured JSON mode, the convention for
 * Kafka values and Server-Sent Events alike).
 *
 * @param position where the row sits in the outbox order; the live stream's event id, a reader's resume point
 * @param key the Kafka record key: the entity, so one entity's events stay in one partition, in order
 * @param gpu the GPU model the event concerns, or null
 */
public record OutboxEvent(Position position, UUID eventId, String type, String source, String subject, String key,
    String gpu, OffsetDateTime time, JsonObject data) {

  /** The schema of each type's version 1, as {@code dataschema} names it. */
  public static String schemaOf(String type) {
    return "urn:gpu-tracker:events:" + type + ":v1";
  }

  public JsonObject toCloudEvent() {
    return new JsonObject()
        .put("specversion", "1.0")
        .put("id", eventId.toString())
        .put("source", source)
        .put("type", type)
        .put("subject", subject)
        .put("time", time.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .put("datacontenttype", "application/json")
        .put("dataschema", schemaOf(type))
        .put("position", position.toString())
        .put("data", data);
  }

  /**
   * A position in the outbox: the writing transaction's id, then the row id. Rows are read in this order and only
   * from transactions older than every running one, so a row committed later never sorts before one already read.
   */
  public record Position(long tx, long id) implements Comparable<Position> {
    public static final Position START = new Position(0, 0);

    /** "tx.id", as {@link #toString()} writes it; anything else is an {@link IllegalArgumentException}. */
    public static Position parse(String text) {
      int dot = text == null ? -1 : text.indexOf('.');
      if (dot <= 0 || dot == text.length() - 1 || text.length() > 41) {
        throw new IllegalArgumentException("an event position is two numbers, transaction.id");
      }
      try {
        long tx = Long.parseLong(text.substring(0, dot));
        long id = Long.parseLong(text.substring(dot + 1));
        if (tx < 0 || id < 0) {
          throw new IllegalArgumentException("an event position is never negative");
        }
        return new Position(tx, id);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("an event position is two numbers, transaction.id");
      }
    }

    @Override
    public int compareTo(Position o) {
      int c = Long.compare(tx, o.tx);
      return c != 0 ? c : Long.compare(id, o.id);
    }

    @Override
    public String toString() {
      return tx + "." + id;
    }
  }
}
