package dev.gputracker.api.http;

import io.vertx.core.MultiMap;
import java.util.Optional;
import java.util.Set;

/** Small validated readers of query parameters for the simpler resources; each mistake is a 400 naming it. */
public final class Params {
  private Params() {}

  public static void onlyKnown(MultiMap q, Set<String> known) {
    for (String name : q.names()) {
      if (!known.contains(name)) {
        throw Problem.badParameter(name, "unknown parameter; known: " + String.join(", ", new java.util.TreeSet<>(known)));
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
    return single(q, "limit").map(v -> {
      try {
        int n = Integer.parseInt(v);
        if (n >= 1 && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // Falls through to the error below.
      }
      throw Problem.badParameter("limit", "limit must be an integer between 1 and " + max);
    }).orElse(dflt);
  }

  /** A keyset cursor over descending ids: the last id seen; rows before it come next. */
  public static long idCursor(MultiMap q) {
    return single(q, "cursor").map(v -> {
      try {
        long id = Long.parseLong(v);
        if (id > 0) {
          return id;
        }
      } catch (NumberFormatException e) {
        // Falls through to the error below.
      }
      throw Problem.badParameter("cursor", "cursor is not one this API issued");
    }).orElse(Long.MAX_VALUE);
  }

  public static long pathId(String raw, String what) {
    try {
      long id = Long.parseLong(raw);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // Falls through to the error below.
    }
    throw Problem.notFound("no " + what + " " + (raw.length() > 30 ? raw.substring(0, 30) + "…" : raw));
  }

  public static Optional<String> oneOf(MultiMap q, String name, Set<String> allowed) {
    return single(q, name).map(v -> {
      if (!allowed.contains(v)) {
        throw Problem.badParameter(name, name + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
      return v;
    });
  }

  /** Every value of a parameter given repeated or comma-separated, blanks dropped, each once, in order. */
  public static java.util.List<String> list(MultiMap q, String name) {
    java.util.Set<String> values = new java.util.LinkedHashSet<>();
    for (String raw : q.getAll(name)) {
      for (String part : raw.split(",")) {
        if (!part.isBlank()) {
          values.add(part.trim());
        }
      }
    }
    return new java.util.ArrayList<>(values);
  }
}
