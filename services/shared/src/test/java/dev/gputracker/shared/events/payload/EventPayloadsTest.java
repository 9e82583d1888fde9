package dev.gputracker.shared.events.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.domain.PriceUnit;
import dev.gputracker.shared.events.EventSchemas;
import dev.gputracker.shared.events.EventTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each event type's record is its JSON Schema's {@code data}, field for field; payloads read and
 * write strictly.
 */
class EventPayloadsTest {

  @Test
  @DisplayName("every event type, and the job request, has exactly one payload record")
  void oneRecordPerType() {
    Set<String> types = new TreeSet<>(EventTypes.ALL);
    types.add(EventSchemas.JOB_REQUEST);
    assertThat(new TreeSet<>(EventPayloads.TYPES.keySet())).isEqualTo(types);
    assertThat(EventPayload.class.getPermittedSubclasses()).hasSize(types.size());
  }

  @Test
  @DisplayName(
      "each record's fields are its schema's: same names, required unless MayBeAbsent, null only if Nullable")
  void recordsMatchSchemas() {
    EventPayloads.TYPES.forEach(
        (type, record) -> {
          JsonObject schema = EventSchemas.load(type);
          JsonObject data =
              type.equals(EventSchemas.JOB_REQUEST)
                  ? schema
                  : schema.getJsonObject("properties").getJsonObject("data");
          assertFieldsMatch(type, record, data);
        });
  }

  private static void assertFieldsMatch(String where, Class<?> record, JsonObject schema) {
    assertThat(schema.getBoolean("additionalProperties"))
        .as("%s allows no other fields", where)
        .isFalse();
    JsonObject properties = schema.getJsonObject("properties");
    Set<String> required =
        new HashSet<>(schema.getJsonArray("required", new JsonArray()).getList());
    Set<String> fields = new TreeSet<>();
    for (RecordComponent c : record.getRecordComponents()) {
      String field = EventPayloads.jsonName(c.getName());
      fields.add(field);
      JsonObject property = properties.getJsonObject(field);
      assertThat(property).as("%s.%s is in the schema", where, field).isNotNull();
      assertThat(required.contains(field))
          .as("%s.%s is required unless @MayBeAbsent", where, field)
          .isEqualTo(!c.isAnnotationPresent(MayBeAbsent.class));
      Object type = property.getValue("type");
      boolean nullable = type instanceof JsonArray a && a.contains("null");
      if (c.isAnnotationPresent(Nullable.class) || !c.isAnnotationPresent(MayBeAbsent.class)) {
        assertThat(c.isAnnotationPresent(Nullable.class))
            .as("%s.%s may be null exactly when the schema says", where, field)
            .isEqualTo(nullable);
      }
      if (nullable || c.isAnnotationPresent(MayBeAbsent.class)) {
        assertThat(c.getType().isPrimitive()).as("%s.%s can hold null", where, field).isFalse();
      }
      Class<?> nested =
          c.getType() == List.class
              ? (Class<?>) ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0]
              : c.getType();
      if (nested.isRecord()) {
        JsonObject nestedSchema =
            c.getType() == List.class ? property.getJsonObject("items") : property;
        assertFieldsMatch(where + "." + field, nested, nestedSchema);
      }
    }
    assertThat(fields)
        .as("%s: the record has every field of the schema", where)
        .isEqualTo(new TreeSet<>(properties.fieldNames()));
  }

  @Test
  @DisplayName("a payload reads into its record and writes back the same fields")
  void roundTrip() {
    JsonObject data =
        new JsonObject()
            .put("listing_id", 7)
            .put("source", "olx")
            .put("external_id", "a1")
            .put("kind", "sale")
            .put("title", "RTX 3080 10GB")
            .put("gpu", "rtx-3080")
            .put("price", "1099.00")
            .put("currency", "PLN")
            .put("price_unit", "total")
            .put("price_usd", "275.12")
            .put("gpu_count", 1)
            .put("url", null)
            .put("run_id", 3)
            .put(
                "previous",
                new JsonObject()
                    .put("price", "1199.00")
                    .put("currency", "PLN")
                    .put("price_usd", null));
    ListingPriceChanged read =
        (ListingPriceChanged) EventPayloads.read(ListingPriceChanged.TYPE, data);
    assertThat(read.kind()).isEqualTo(ListingKind.SALE);
    assertThat(read.priceUnit()).isEqualTo(PriceUnit.TOTAL);
    assertThat(read.price()).isEqualByComparingTo("1099");
    assertThat(read.previous().priceUsd()).isNull();
    assertThat(EventPayloads.write(read)).isEqualTo(data);

    JsonObject run =
        new JsonObject()
            .put("run_id", 5)
            .put("worker", "w1")
            .put("mode", "oneshot")
            .put("status", "succeeded")
            .put("started_at", "2026-12-07T20:00:00.123456+00:00")
            .put("finished_at", "2026-12-07T20:01:00Z")
            .put(
                "sources",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("source", "olx")
                            .put("status", "succeeded")
                            .put("pages", 3)));
    ScrapeRunFinished finished =
        (ScrapeRunFinished) EventPayloads.read(ScrapeRunFinished.TYPE, run);
    assertThat(finished.startedAt()).isEqualTo(Instant.parse("2026-12-07T20:00:00.123456Z"));
    assertThat(finished.sources().get(0).pages()).isEqualTo(3);
    assertThat(finished.sources().get(0).listingsSeen()).isNull();
    assertThat(EventPayloads.read(ScrapeRunFinished.TYPE, EventPayloads.write(finished)))
        .isEqualTo(finished);
    assertThat(EventPayloads.write(finished).getJsonArray("sources").getJsonObject(0).fieldNames())
        .as("absent stays absent")
        .containsExactlyInAnyOrder("source", "status", "pages");

    JobRequest request =
        (JobRequest)
            EventPayloads.read(
                JobRequest.TYPE,
                new JsonObject()
                    .put("request_id", "r1")
                    .put("kind", "container")
                    .put("image", "busybox")
                    .put("command", new JsonArray().add("true"))
                    .put("env", new JsonObject().put("A", "1"))
                    .put("cpus", 0.5));
    assertThat(request.command()).containsExactly("true");
    assertThat(request.env()).isEqualTo(Map.of("A", "1"));
    assertThat(request.cpus()).isEqualTo(0.5);
    assertThat(request.gpus()).isNull();
  }

  @Test
  @DisplayName(
      "an unknown field, a missing field, a null where none is allowed or a wrong type is refused by name")
  void strict() {
    JsonObject left =
        new JsonObject()
            .put("worker", "w")
            .put("host", "h")
            .put("reason", "stopped")
            .put("last_heartbeat_at", "2026-12-07T20:00:00Z");
    assertThat(EventPayloads.read(WorkerLeft.TYPE, left)).isInstanceOf(WorkerLeft.class);
    assertThatThrownBy(() -> EventPayloads.read(WorkerLeft.TYPE, left.copy().put("extra", 1)))
        .hasMessageContaining("unknown field 'extra'");
    JsonObject missing = left.copy();
    missing.remove("host");
    assertThatThrownBy(() -> EventPayloads.read(WorkerLeft.TYPE, missing))
        .hasMessageContaining("missing field 'host'");
    assertThatThrownBy(() -> EventPayloads.read(WorkerLeft.TYPE, left.copy().putNull("worker")))
        .hasMessageContaining("'worker' is null");
    assertThatThrownBy(
            () ->
                EventPayloads.read(
                    WorkerLeft.TYPE, left.copy().put("last_heartbeat_at", "yesterday")))
        .hasMessageContaining("last_heartbeat_at");
    assertThatThrownBy(() -> EventPayloads.read("listing.sold", left))
        .hasMessageContaining("listing.sold");
  }
}
