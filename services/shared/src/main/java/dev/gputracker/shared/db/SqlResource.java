package dev.gputracker.shared.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named SQL statement kept in its own {@code .sql} file beside the class that runs it (same
 * package path under {@code resources}). Each module's SQL index class ({@code WorkerSql}, {@code
 * JobSql}, ...) loads its statements into constants, so a missing or malformed file fails the class
 * at initialisation, before any statement runs.
 *
 * <p>A file may hold named placeholders, {@code /*kind:name*}{@code /} (for example {@code
 * /*outbox:worker.left*}{@code /}), that the caller fills with generated SQL: every placeholder
 * must be filled and every fill must be used, so a statement and its generated parts cannot drift
 * apart silently.
 */
public final class SqlResource {
  /** {@code /*outbox:listing.removed*}{@code /}: a kind, a colon, a name without spaces. */
  static final Pattern PLACEHOLDER = Pattern.compile("/\\*([a-z_]+:[a-z_.|]+)\\*/");

  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  private SqlResource() {}

  /** The statement in {@code name}, in {@code anchor}'s package; it holds no placeholder. */
  public static String load(Class<?> anchor, String name) {
    return load(anchor, name, Map.of());
  }

  /**
   * The statement in {@code name}, in {@code anchor}'s package, with each placeholder replaced by
   * its fill ({@code "outbox:worker.left"} → SQL).
   *
   * @throws IllegalStateException when the file is missing, a placeholder has no fill or a fill no
   *     placeholder
   */
  public static String load(Class<?> anchor, String name, Map<String, String> fills) {
    String path = anchor.getPackageName().replace('.', '/') + "/" + name;
    String text = CACHE.computeIfAbsent(path, p -> read(anchor, name, p));
    Set<String> unused = new LinkedHashSet<>(fills.keySet());
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String fill = fills.get(key);
      if (fill == null) {
        throw new IllegalStateException(
            "SQL resource " + path + " has the placeholder /*" + key + "*/ but nothing fills it");
      }
      unused.remove(key);
      m.appendReplacement(out, Matcher.quoteReplacement(fill));
    }
    m.appendTail(out);
    if (!unused.isEmpty()) {
      throw new IllegalStateException("SQL resource " + path + " has no placeholder for " + unused);
    }
    return out.toString();
  }

  private static String read(Class<?> anchor, String name, String path) {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "SQL resource " + path + " is missing (loaded for " + anchor.getName() + ")");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("SQL resource " + path + " cannot be read", e);
    }
  }
}
