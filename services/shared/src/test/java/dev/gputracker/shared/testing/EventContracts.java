package dev.gputracker.shared.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.events.EventSchemas;
import dev.gputracker.shared.events.payload.EventPayload;
import dev.gputracker.shared.events.payload.EventPayloads;
import io.vertx.core.json.JsonObject;

/**
 * What every test that sees a produced event checks: its schema, and that it reads into its record
 * and back.
 */
public final class EventContracts {
  private EventContracts() {}

  /**
   * {@code envelope} (an outbox event) is valid against its type's schema and its data reads into
   * its record.
   */
  public static EventPayload assertHonoured(JsonObject envelope) {
    String type = envelope.getString("type");
    assertThat(EventSchemas.problems(type, envelope)).as(envelope.encode()).isEmpty();
    return assertReadsBack(type, envelope.getJsonObject("data"));
  }

  /**
   * {@code data} reads into the record of {@code type}, and that record writes the same payload
   * back.
   */
  public static EventPayload assertReadsBack(String type, JsonObject data) {
    EventPayload payload = EventPayloads.read(type, data);
    assertThat(EventPayloads.read(type, EventPayloads.write((Record) payload)))
        .as(data.encode())
        .isEqualTo(payload);
    return payload;
  }
}
