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
 * package path under {@code resources}; a relative name such as {@code listings/feed.sql} reaches a
 * sub-package). The file opens with a header of {@code --} lines: what the statement does, each
 * {@code $n} parameter and its type; the statement is the rest. Each module's SQL index class
 * ({@code WorkerSql}, {@code JobSql}, ...) loads its statements into constants, so a missing or
 * malformed file fails the class at initialisation, before any statement runs.
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
      String statement = withoutHeader(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      if (statement.isBlank()) {
        throw new IllegalStateException(
            "SQL resource " + path + " holds a header but no statement");
      }
      return statement;
    } catch (IOException e) {
      throw new UncheckedIOException("SQL resource " + path + " cannot be read", e);
    }
  }

  /**
   * The text after the leading comment lines and the blank lines that follow them, ending in one
   * line break whatever the file ends with (as a Java text block does). The header is for readers:
   * it never reaches the server, and a fragment spliced into a larger statement carries none.
   */
  public static String withoutHeader(String text) {
    int at = 0;
    while (at < text.length()) {
      int end = text.indexOf('\n', at);
      int next = end < 0 ? text.length() : end + 1;
      String line = text.substring(at, next).strip();
      if (!line.isEmpty() && !line.startsWith("--")) {
        break;
      }
      at = next;
    }
    String statement = text.substring(at).stripTrailing();
    return statement.isEmpty() ? statement : statement + "\n";
  }
}
