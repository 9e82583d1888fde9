package dev.gputracker.api.http;

/** Client text quoted back in a problem: short, and without control characters. */
public final class Text {
  private static final int EXCERPT = 40;

  private Text() {}

  /**
   * At most 40 characters of {@code v} (an ellipsis marks a cut), control characters as {@code ?}.
   */
  public static String excerpt(String v) {
    if (v == null) {
      return "";
    }
    String cut = v.length() > EXCERPT ? v.substring(0, EXCERPT) + "…" : v;
    StringBuilder b = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return b.toString();
  }
}
