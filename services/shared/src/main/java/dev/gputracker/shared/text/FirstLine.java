package dev.gputracker.shared.text;

/**
 * The first line of a message, for reasons that end up in one-line places: a job's error, a log
 * line, a problem's detail. Parsers and engines put whole documents, stack traces or server replies
 * in their messages.
 */
public final class FirstLine {
  /** Longest line kept, in characters; longer ones end with "…". */
  public static final int MAX = 200;

  private FirstLine() {}

  /**
   * The first non-blank-trimmed line of {@code s}, at most {@link #MAX} characters; "" for null.
   */
  public static String of(String s) {
    if (s == null) {
      return "";
    }
    String line = s.strip().lines().findFirst().orElse("");
    return line.length() > MAX ? line.substring(0, MAX) + "…" : line;
  }

  /** The first line of the failure's message, or its class's simple name when it has none. */
  public static String of(Throwable t) {
    String line = of(t.getMessage());
    return line.isEmpty() ? t.getClass().getSimpleName() : line;
  }
}
