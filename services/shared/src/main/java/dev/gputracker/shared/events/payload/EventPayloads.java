package dev.gputracker.shared.events.payload;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an event's {@code data} into its {@link EventPayload} record and writes a record back,
 * strictly: a field the record lacks, a missing field, or a null where the record does not allow
 * one is an {@link IllegalArgumentException} naming the field. Money is a decimal string ({@link
 * BigDecimal}), times are ISO-8601 ({@link Instant}), enums are their lower-case names.
 */
public final class EventPayloads {
  /** Every payload record by its event type. */
  public static final Map<String, Class<? extends EventPayload>> TYPES =
      Map.of(
          ListingCreated.TYPE, ListingCreated.class,
          ListingPriceChanged.TYPE, ListingPriceChanged.class,
          ListingRemoved.TYPE, ListingRemoved.class,
          ScrapeRunFinished.TYPE, ScrapeRunFinished.class,
          SourceHealthChanged.TYPE, SourceHealthChanged.class,
          WorkerJoined.TYPE, WorkerJoined.class,
          WorkerLeft.TYPE, WorkerLeft.class,
          JobStateChanged.TYPE, JobStateChanged.class,
          JobRequest.TYPE, JobRequest.class);

  private EventPayloads() {}

  /** The payload of an event of {@code type}. */
  public static EventPayload read(String type, JsonObject data) {
    Class<? extends EventPayload> record = TYPES.get(type);
    if (record == null) {
      throw new IllegalArgumentException("no payload record for event type '" + type + "'");
    }
    return readRecord(record, data, type);
  }

  /** The {@code data} object of {@code payload}. */
  public static JsonObject write(Record payload) {
    JsonObject out = new JsonObject();
    for (RecordComponent c : payload.getClass().getRecordComponents()) {
      Object value;
      try {
        value = c.getAccessor().invoke(payload);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      if (value == null && c.isAnnotationPresent(MayBeAbsent.class)) {
        continue;
      }
      out.put(jsonName(c.getName()), toJson(value));
    }
    return out;
  }

  /** {@code listingId} is {@code listing_id}. */
  public static String jsonName(String component) {
    StringBuilder b = new StringBuilder();
    for (char ch : component.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        b.append('_').append(Character.toLowerCase(ch));
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }

  private static <R> R readRecord(Class<R> record, JsonObject data, String where) {
    RecordComponent[] components = record.getRecordComponents();
    Map<String, RecordComponent> byName = new LinkedHashMap<>();
    for (RecordComponent c : components) {
      byName.put(jsonName(c.getName()), c);
    }
    for (String field : data.fieldNames()) {
      if (!byName.containsKey(field)) {
        throw new IllegalArgumentException(where + ": unknown field '" + field + "'");
      }
    }
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      String field = jsonName(c.getName());
      types[i] = c.getType();
      boolean present = data.containsKey(field);
      Object raw = data.getValue(field);
      if (!present && !c.isAnnotationPresent(MayBeAbsent.class)) {
        throw new IllegalArgumentException(where + ": missing field '" + field + "'");
      }
      if (present && raw == null && !c.isAnnotationPresent(Nullable.class)) {
        throw new IllegalArgumentException(where + ": '" + field + "' is null");
      }
      args[i] = raw == null ? null : fromJson(c.getGenericType(), raw, where + "." + field);
    }
    try {
      Constructor<R> constructor = record.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(record + " cannot be built", e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object fromJson(Type type, Object raw, String where) {
    Class<?> cls =
        type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    // Containers name their own failing element (where[i], where.key); only scalars are wrapped
    // below.
    if (cls == List.class && raw instanceof JsonArray array) {
      Type item = ((ParameterizedType) type).getActualTypeArguments()[0];
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        out.add(fromJson(item, array.getValue(i), where + "[" + i + "]"));
      }
      return List.copyOf(out);
    } else if (cls == Map.class && raw instanceof JsonObject object) {
      Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : object) {
        out.put(e.getKey(), fromJson(value, e.getValue(), where + "." + e.getKey()));
      }
      return Map.copyOf(out);
    } else if (cls.isRecord() && raw instanceof JsonObject object) {
      return readRecord(cls, object, where);
    }
    try {
      if (cls == String.class) {
        return (String) raw;
      } else if (cls == long.class || cls == Long.class) {
        return ((Number) raw).longValue();
      } else if (cls == int.class || cls == Integer.class) {
        return ((Number) raw).intValue();
      } else if (cls == Double.class) {
        return ((Number) raw).doubleValue();
      } else if (cls == Boolean.class) {
        return (Boolean) raw;
      } else if (cls == BigDecimal.class) {
        return new BigDecimal((String) raw);
      } else if (cls == Instant.class) {
        return OffsetDateTime.parse((String) raw).toInstant();
      } else if (cls.isEnum()) {
        return Enum.valueOf((Class<Enum>) cls, ((String) raw).toUpperCase(Locale.ROOT));
      } else if (cls == Object.class) {
        return raw;
      }
    } catch (ClassCastException | IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          where + ": " + raw + " is not a " + cls.getSimpleName(), e);
    }
    throw new IllegalArgumentException(where + ": " + raw + " is not a " + cls.getSimpleName());
  }

  private static Object toJson(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Number && !(value instanceof BigDecimal)
        || value instanceof Boolean
        || value instanceof JsonObject
        || value instanceof JsonArray) {
      return value;
    } else if (value instanceof BigDecimal d) {
      return d.toPlainString();
    } else if (value instanceof Instant t) {
      return t.toString();
    } else if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    } else if (value instanceof List<?> list) {
      JsonArray out = new JsonArray();
      list.forEach(v -> out.add(toJson(v)));
      return out;
    } else if (value instanceof Map<?, ?> map) {
      JsonObject out = new JsonObject();
      map.forEach((k, v) -> out.put((String) k, toJson(v)));
      return out;
    } else if (value instanceof Record r) {
      return write(r);
    }
    throw new IllegalArgumentException("no JSON form for " + value.getClass());
  }
}
