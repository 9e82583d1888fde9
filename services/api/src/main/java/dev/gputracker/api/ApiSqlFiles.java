package dev.gputracker.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the API's named SQL statements: {@code .sql} resources beside the code that runs them
 * ({@code dev/gputracker/api/listings/feed.sql} for the {@code listings} package). Each file opens
 * with a header of {@code --} lines (what the statement does, each {@code $n} parameter and its
 * type); the statement is the rest, so the header never reaches the server and a statement's text
 * is the file's. Files are read once, when {@link ApiSql} is loaded: a missing or empty one stops
 * the API at start-up, naming it.
 */
public final class ApiSqlFiles {
  private static final String ROOT = "dev/gputracker/api/";

  private ApiSqlFiles() {}

  /**
   * The statement in {@code path}, relative to the API's root package ({@code listings/feed.sql}),
   * without its header.
   *
   * @throws IllegalStateException when the file is not on the class path, or holds no statement
   */
  public static String load(String path) {
    String resource = ROOT + path;
    String text;
    try (InputStream in = ApiSqlFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "SQL resource " + resource + " is missing from the API's class path");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read SQL resource " + resource, e);
    }
    String statement = withoutHeader(text);
    if (statement.isBlank()) {
      throw new IllegalStateException(
          "SQL resource " + resource + " holds a header but no statement");
    }
    return statement;
  }

  /**
   * The text after the leading comment lines and the blank lines that follow them, ending in one
   * line break whatever the file ends with (as a Java text block does).
   */
  static String withoutHeader(String text) {
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
