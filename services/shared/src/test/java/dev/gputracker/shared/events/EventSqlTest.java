package dev.gputracker.shared.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.shared.events.payload.ListingCreated;
import dev.gputracker.shared.events.payload.ListingPriceChanged;
import dev.gputracker.shared.events.payload.SourceHealthChanged;
import dev.gputracker.shared.events.payload.WorkerLeft;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventSqlTest {

  private static EventSql.Builder workerLeft() {
    return EventSql.of(WorkerLeft.class)
        .subject("worker", "w.id")
        .set("worker", "w.id")
        .set("host", "w.host")
        .set("reason", "w.reason");
  }

  @Test
  @DisplayName(
      "the outbox insert names the record's type and builds its payload by the JSON names, times as UTC text")
  void generatesTheInsert() {
    EventSql left = workerLeft().set("lastHeartbeatAt", "w.heartbeat_at").build();
    assertThat(left.type()).isEqualTo(WorkerLeft.TYPE);
    assertThat(left.insert())
        .isEqualTo(
            "INSERT INTO outbox (type, source, subject, key, data)\n"
                + "SELECT 'worker.left', '/gpu-tracker/worker', 'worker/' || w.id, 'worker-' || w.id,\n"
                + "  jsonb_build_object('worker', w.id, 'host', w.host, 'reason', w.reason,"
                + " 'last_heartbeat_at', to_char((w.heartbeat_at) AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'))");
  }

  @Test
  @DisplayName("a component without an expression fails when the definition is built, naming it")
  void missingComponentFails() {
    assertThatThrownBy(() -> workerLeft().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no SQL expression for component 'lastHeartbeatAt'");
    assertThatThrownBy(
            () ->
                EventSql.of(ListingPriceChanged.class)
                    .subject("listing", "u.id")
                    .set("previous.price", "p.price")
                    .build())
        .as("a nested record's component too")
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no SQL expression for component");
  }

  @Test
  @DisplayName("an expression for no component fails when the definition is built, naming it")
  void extraComponentFails() {
    assertThatThrownBy(
            () ->
                workerLeft().set("lastHeartbeatAt", "w.heartbeat_at").set("gpus", "w.gpus").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expressions for no component of WorkerLeft: [gpus]");
  }

  @Test
  @DisplayName(
      "one insert for two types chooses each column by the condition, once where they agree")
  void eitherOfTwo() {
    EventSql a =
        EventSql.of(SourceHealthChanged.class)
            .subject("source", "u.name")
            .set("source", "u.name")
            .set("health", "u.health")
            .set("previous", "u.previous")
            .set("reason", "u.reason")
            .set("runId", "u.run_id")
            .build();
    EventSql b = workerLeft().set("lastHeartbeatAt", "w.heartbeat_at").build();
    String sql = EventSql.insertEither("c", a, b);
    assertThat(sql)
        .startsWith(
            "INSERT INTO outbox (type, source, subject, key, data)\n"
                + "SELECT CASE WHEN c THEN 'source.health_changed' ELSE 'worker.left' END,"
                + " '/gpu-tracker/worker', CASE WHEN c THEN 'source/' || u.name ELSE 'worker/' || w.id END");
    assertThat(EventSql.insertEither("c", b, b)).isEqualTo(b.insert());
  }

  @Test
  @DisplayName(
      "a component that may be absent is left out when its expression is NULL, the others kept even when NULL")
  void absentComponents() {
    EventSql created =
        EventSql.of(ListingCreated.class)
            .subject("listing", "u.id")
            .set("listingId", "u.id")
            .set("source", "u.source_name")
            .set("externalId", "u.external_id")
            .set("kind", "u.kind")
            .set("title", "u.title")
            .set("gpu", "u.gpu_slug")
            .set("price", "u.price")
            .set("currency", "u.currency")
            .set("priceUnit", "u.price_unit")
            .set("priceUsd", "u.price_usd")
            .set("gpuCount", "u.gpu_count")
            .set("url", "u.url")
            .set("runId", "u.run_id")
            .set("relisted", "u.relisted")
            .build();
    assertThat(created.payload())
        .contains("'price', (u.price)::text")
        .endsWith(") || jsonb_strip_nulls(jsonb_build_object('relisted', u.relisted))");
  }
}
