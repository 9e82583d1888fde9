package dev.gputracker.api.http;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Small validated readers of query parameters for the simpler resources; each mistake is a 400
 * naming it.
 */
public final class Params {
  private Params() {}

  public static void onlyKnown(MultiMap q, Set<String> known) {
    for (String name : q.names()) {
      if (!known.contains(name)) {
        throw Problem.badParameter(
            name,
            "unknown parameter '"
                + Text.excerpt(name)
                + "'; known: "
                + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  public static Optional<String> single(MultiMap q, String name) {
    var all = q.getAll(name);
    if (all.isEmpty()) {
      return Optional.empty();
    }
    if (all.size() > 1 || all.get(0).isBlank()) {
      throw Problem.badParameter(name, name + " must be given once, not empty");
    }
    return Optional.of(all.get(0).trim());
  }

  public static int limit(MultiMap q, int dflt, int max) {
    return integer(q, "limit", 1, max).orElse(dflt);
  }

  /** A whole-number parameter within its range (see {@link Bounded}), when given. */
  public static Optional<Integer> integer(MultiMap q, String name, int min, int max) {
    return single(q, name).map(v -> Bounded.integer(name, v, min, max));
  }

  /** A keyset cursor over descending ids: the last id seen; rows before it come next. */
  public static long idCursor(MultiMap q) {
    return single(q, "cursor")
        .map(
            v -> {
              Long id = Bounded.parseLong(v);
              if (id == null || id <= 0) {
                throw Problem.badParameter("cursor", "cursor is not one this API issued");
              }
              return id;
            })
        .orElse(Long.MAX_VALUE);
  }

  /**
   * An id in a path: a positive whole number of ASCII digits; anything else names nothing here
   * (404).
   */
  public static long pathId(String raw, String what) {
    Long id = Bounded.parseLong(raw);
    if (id != null && id > 0) {
      return id;
    }
    throw Problem.notFound("no " + what + " " + Text.excerpt(raw));
  }

  public static Optional<String> oneOf(MultiMap q, String name, Set<String> allowed) {
    return single(q, name)
        .map(
            v -> {
              if (!allowed.contains(v)) {
                throw Problem.badParameter(
                    name, name + " must be one of " + String.join(", ", new TreeSet<>(allowed)));
              }
              return v;
            });
  }

  /**
   * Every value of a parameter given repeated or comma-separated, blanks dropped, each once, in
   * order.
   */
  public static List<String> list(MultiMap q, String name) {
    Set<String> values = new LinkedHashSet<>();
    for (String raw : q.getAll(name)) {
      for (String part : raw.split(",")) {
        if (!part.isBlank()) {
          values.add(part.trim());
        }
      }
    }
    return new ArrayList<>(values);
  }
}
