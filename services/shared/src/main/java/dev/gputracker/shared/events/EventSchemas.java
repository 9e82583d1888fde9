package dev.gputracker.shared.events;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON Schemas of the event envelopes ({@code events/schemas/<type>.json}) and of incoming job
 * requests ({@code events/schemas/job.request.json}), compiled once. Thread-safe.
 */
public final class EventSchemas {
  public static final String JOB_REQUEST = "job.request";
  private static final JsonSchemaOptions OPTIONS =
      new JsonSchemaOptions()
          .setDraft(Draft.DRAFT202012)
          .setBaseUri("urn:gpu-tracker:events:")
          .setOutputFormat(OutputFormat.Basic);
  private static final Map<String, Validator> VALIDATORS = new HashMap<>();

  static {
    for (String type : EventTypes.ALL) {
      VALIDATORS.put(type, Validator.create(JsonSchema.of(load(type)), OPTIONS));
    }
    VALIDATORS.put(JOB_REQUEST, Validator.create(JsonSchema.of(load(JOB_REQUEST)), OPTIONS));
  }

  private EventSchemas() {}

  /** The schema document of {@code type} as shipped in the jar. */
  public static JsonObject load(String type) {
    String resource = "events/schemas/" + type + ".json";
    try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Empty when {@code document} is valid against the schema of {@code type}; else what is wrong,
   * briefly.
   */
  public static Optional<String> problems(String type, Object document) {
    Validator validator = VALIDATORS.get(type);
    if (validator == null) {
      return Optional.of("no schema for type '" + type + "'");
    }
    OutputUnit result = validator.validate(document);
    if (Boolean.TRUE.equals(result.getValid())) {
      return Optional.empty();
    }
    List<OutputUnit> errors = result.getErrors();
    if (errors == null || errors.isEmpty()) {
      return Optional.of(result.getError() == null ? "invalid" : result.getError());
    }
    StringBuilder b = new StringBuilder();
    for (OutputUnit e : errors.subList(0, Math.min(3, errors.size()))) {
      b.append(b.length() == 0 ? "" : "; ")
          .append(e.getInstanceLocation())
          .append(": ")
          .append(e.getError());
    }
    return Optional.of(b.toString());
  }
}
