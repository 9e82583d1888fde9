package dev.gputracker.shared.events;

import dev.gputracker.shared.events.payload.EventPayload;
import dev.gputracker.shared.events.payload.EventPayloads;
import dev.gputracker.shared.events.payload.MayBeAbsent;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a statement writes one event type to the outbox, generated from the type's payload record:
 * the statement names the SQL expression of each record component, and this builds the {@code
 * jsonb_build_object(...)} (JSON names by {@link EventPayloads#jsonName}, decimals as text, times
 * as ISO-8601 UTC, a {@link MayBeAbsent} component left out when its expression is NULL) and the
 * outbox {@code INSERT ... SELECT} around it. A component without an expression, or an expression
 * for no component, fails when the definition is built (at the defining class's initialisation).
 *
 * <p>One definition per event type, in the class that holds its producing statement; a statement
 * file takes it through a placeholder ({@link #fills}): {@code /*outbox:TYPE*}{@code /} is the
 * {@code INSERT INTO outbox (...) SELECT ...} the file continues with its {@code FROM}.
 */
public final class EventSql {
  /** The CloudEvents {@code source} of every event the system writes. */
  public static final String SOURCE = "/gpu-tracker/worker";

  private static final String UTC_ISO = "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'";

  private final String type;
  private final String subject;
  private final String key;
  private final String gpu;
  private final String payload;

  private EventSql(String type, String subject, String key, String gpu, String payload) {
    this.type = type;
    this.subject = subject;
    this.key = key;
    this.gpu = gpu;
    this.payload = payload;
  }

  /** A definition of {@code record}'s event; its type is the record's {@code TYPE}. */
  public static Builder of(Class<? extends EventPayload> record) {
    return new Builder(record);
  }

  public String type() {
    return type;
  }

  /** The payload as one SQL expression of type jsonb. */
  public String payload() {
    return payload;
  }

  /**
   * {@code INSERT INTO outbox (type, source, subject, key[, gpu], data) SELECT ...}: the statement
   * goes on with the {@code FROM} that binds the expressions' relations.
   */
  public String insert() {
    return "INSERT INTO outbox (type, source, subject, key"
        + (gpu == null ? "" : ", gpu")
        + ", data)\nSELECT '"
        + type
        + "', '"
        + SOURCE
        + "', "
        + subject
        + ", "
        + key
        + (gpu == null ? "" : ", " + gpu)
        + ",\n  "
        + payload;
  }

  /**
   * One outbox insert writing {@code whenTrue}'s event where {@code condition} holds and {@code
   * otherwise}'s elsewhere (one statement, one trigger firing, one order for both).
   */
  public static String insertEither(String condition, EventSql whenTrue, EventSql otherwise) {
    if ((whenTrue.gpu == null) != (otherwise.gpu == null)) {
      throw new IllegalArgumentException(
          whenTrue.type + " and " + otherwise.type + " disagree on the gpu column");
    }
    return "INSERT INTO outbox (type, source, subject, key"
        + (whenTrue.gpu == null ? "" : ", gpu")
        + ", data)\nSELECT "
        + either(condition, "'" + whenTrue.type + "'", "'" + otherwise.type + "'")
        + ", '"
        + SOURCE
        + "', "
        + either(condition, whenTrue.subject, otherwise.subject)
        + ", "
        + either(condition, whenTrue.key, otherwise.key)
        + (whenTrue.gpu == null ? "" : ", " + either(condition, whenTrue.gpu, otherwise.gpu))
        + ",\n  "
        + either(condition, whenTrue.payload, otherwise.payload);
  }

  /** The placeholder fills of {@code events}: {@code outbox:TYPE} is each one's {@link #insert}. */
  public static Map<String, String> fills(EventSql... events) {
    Map<String, String> out = new LinkedHashMap<>();
    for (EventSql e : events) {
      out.put("outbox:" + e.type, e.insert());
    }
    return out;
  }

  private static String either(String condition, String a, String b) {
    return a.equals(b) ? a : "CASE WHEN " + condition + " THEN " + a + " ELSE " + b + " END";
  }

  /** Collects the expressions of one event type's definition. */
  public static final class Builder {
    private final Class<? extends EventPayload> record;
    private final Map<String, String> expressions = new LinkedHashMap<>();
    private final Map<String, String[]> lists = new LinkedHashMap<>();
    private String subject;
    private String key;
    private String gpu;
    private String within;

    private Builder(Class<? extends EventPayload> record) {
      this.record = record;
    }

    /**
     * The event's subject {@code kind/ID} and Kafka key {@code kind-ID}, from {@code id} (an SQL
     * expression).
     */
    public Builder subject(String kind, String id) {
      this.subject = "'" + kind + "/' || " + id;
      this.key = "'" + kind + "-' || " + id;
      return this;
    }

    /** The outbox's {@code gpu} column (what the live stream filters on), for listing events. */
    public Builder gpu(String expression) {
      this.gpu = expression;
      return this;
    }

    /**
     * The SQL expression of a component; {@code path} is its Java name, {@code outer.inner} for a
     * component of a nested record.
     */
    public Builder set(String path, String expression) {
      if (expressions.put(path, expression) != null) {
        throw new IllegalArgumentException(record.getSimpleName() + ": " + path + " set twice");
      }
      return this;
    }

    /**
     * A list-of-records component, aggregated from {@code from} (a {@code FROM ... WHERE ...}
     * clause) in {@code orderBy} order; its elements' components are set as {@code path.inner}.
     */
    public Builder list(String path, String from, String orderBy) {
      lists.put(path, new String[] {from, orderBy});
      return this;
    }

    /**
     * The payload's relations come from a correlated subquery {@code (SELECT payload FROM from)}:
     * one primary key lookup per event where a join would be planned badly.
     */
    public Builder within(String from) {
      this.within = from;
      return this;
    }

    public EventSql build() {
      Objects.requireNonNull(subject, record.getSimpleName() + ": no subject");
      String type;
      try {
        type = (String) record.getField("TYPE").get(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(record + " has no TYPE", e);
      }
      Set<String> unused = new LinkedHashSet<>(expressions.keySet());
      unused.addAll(lists.keySet());
      String payload = object(record, "", unused);
      if (!unused.isEmpty()) {
        throw new IllegalStateException(
            type + ": expressions for no component of " + record.getSimpleName() + ": " + unused);
      }
      if (within != null) {
        payload = "(SELECT " + payload + " FROM " + within + ")";
      }
      return new EventSql(type, subject, key, gpu, payload);
    }

    private String object(Class<?> cls, String prefix, Set<String> unused) {
      List<String> present = new ArrayList<>();
      List<String> optionalScalars = new ArrayList<>();
      List<String> optionalObjects = new ArrayList<>();
      for (RecordComponent c : cls.getRecordComponents()) {
        String path = prefix + c.getName();
        String pair =
            "'"
                + EventPayloads.jsonName(c.getName())
                + "', "
                + value(c.getGenericType(), path, unused);
        if (!c.isAnnotationPresent(MayBeAbsent.class)) {
          present.add(pair);
        } else if (expressions.containsKey(path)) {
          optionalScalars.add(pair);
        } else {
          optionalObjects.add(
              "CASE WHEN "
                  + pair.substring(pair.indexOf(", ") + 2)
                  + " IS NULL THEN '{}'::jsonb"
                  + " ELSE jsonb_build_object("
                  + pair
                  + ") END");
        }
      }
      StringBuilder out =
          new StringBuilder("jsonb_build_object(").append(String.join(", ", present));
      out.append(")");
      // An absent scalar is left out by stripping the nulls of an object holding only such fields
      // (jsonb_strip_nulls also strips inside nested values, hence never around a nested object).
      if (!optionalScalars.isEmpty()) {
        out.append(" || jsonb_strip_nulls(jsonb_build_object(")
            .append(String.join(", ", optionalScalars))
            .append("))");
      }
      for (String o : optionalObjects) {
        out.append(" || ").append(o);
      }
      return out.toString();
    }

    private String value(Type type, String path, Set<String> unused) {
      Class<?> cls =
          type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
      if (cls.isRecord()) {
        return object(cls, path + ".", unused);
      }
      if (cls == List.class) {
        Type item = ((ParameterizedType) type).getActualTypeArguments()[0];
        if (item instanceof Class<?> itemClass && itemClass.isRecord() && lists.containsKey(path)) {
          unused.remove(path);
          String[] from = lists.get(path);
          return "coalesce((SELECT jsonb_agg("
              + object(itemClass, path + ".", unused)
              + " ORDER BY "
              + from[1]
              + ") "
              + from[0]
              + "), '[]'::jsonb)";
        }
      }
      String expression = expressions.get(path);
      if (expression == null) {
        throw new IllegalStateException(
            record.getSimpleName() + ": no SQL expression for component '" + path + "'");
      }
      unused.remove(path);
      if (cls == BigDecimal.class) {
        return "(" + expression + ")::text";
      } else if (cls == Instant.class) {
        return "to_char((" + expression + ") AT TIME ZONE 'UTC', " + UTC_ISO + ")";
      }
      return expression;
    }
  }
}
