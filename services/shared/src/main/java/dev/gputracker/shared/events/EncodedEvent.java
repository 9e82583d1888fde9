package dev.gputracker.shared.events;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.gputracker.shared.events.OutboxEvent.Position;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * An outbox event as the bytes of its CloudEvents envelope (structured JSON mode, the convention
 * for Kafka values and Server-Sent Events alike), written around the payload's JSON text without
 * parsing it: the one place the envelope is built, for the relay and the live stream.
 *
 * @param type the event type (the live stream filters and names events by it)
 * @param key the Kafka record key: the entity, so one entity's events stay in one partition, in
 *     order
 * @param gpu the GPU model the event concerns, or null (the live stream filters on it)
 * @param epochMillis the event time, as the Kafka record timestamp
 */
public record EncodedEvent(
    Position position, String type, String key, String gpu, long epochMillis, byte[] envelope) {

  public static EncodedEvent of(
      Position position,
      UUID id,
      String type,
      String source,
      String subject,
      String key,
      String gpu,
      OffsetDateTime time,
      String dataJson) {
    StringBuilder b =
        new StringBuilder(dataJson.length() + 360)
            .append("{\"specversion\":\"1.0\",\"id\":\"")
            .append(id)
            .append("\",\"source\":\"")
            .append(quote(source))
            .append("\",\"type\":\"")
            .append(quote(type))
            .append("\",\"subject\":\"")
            .append(quote(subject))
            .append("\",\"time\":\"")
            .append(
                time.withOffsetSameInstant(ZoneOffset.UTC)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
            .append("\",\"datacontenttype\":\"application/json\",\"dataschema\":\"")
            .append(quote(OutboxEvent.schemaOf(type)))
            .append("\",\"position\":\"")
            .append(position)
            .append("\",\"data\":")
            .append(dataJson)
            .append('}');
    return new EncodedEvent(
        position,
        type,
        key,
        gpu,
        time.toInstant().toEpochMilli(),
        b.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static char[] quote(String s) {
    return JsonStringEncoder.getInstance().quoteAsString(s);
  }
}
