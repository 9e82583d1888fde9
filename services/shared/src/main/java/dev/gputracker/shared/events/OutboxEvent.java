package dev.gputracker.shared.events;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * An outbox event with its CloudEvents envelope parsed, for readers that look inside it. The
 * envelope itself is built in one place, {@link EncodedEvent}.
 */
public record OutboxEvent(
    Position position, String type, String key, String gpu, JsonObject envelope) {

  public static OutboxEvent of(EncodedEvent e) {
    return new OutboxEvent(
        e.position(), e.type(), e.key(), e.gpu(), new JsonObject(Buffer.buffer(e.envelope())));
  }

  /** The schema of each type's version 1, as {@code dataschema} names it. */
  public static String schemaOf(String type) {
    return "urn:gpu-tracker:events:" + type + ":v1";
  }

  public JsonObject data() {
    return envelope.getJsonObject("data");
  }

  /**
   * A position in the outbox: the writing transaction's id, then the row id. Rows are read in this
   * order and only from transactions older than every running one, so a row committed later never
   * sorts before one already read.
   */
  public record Position(long tx, long id) implements Comparable<Position> {
    public static final Position START = new Position(0, 0);

    /**
     * "tx.id", as {@link #toString()} writes it; anything else is an {@link
     * IllegalArgumentException}.
     */
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
