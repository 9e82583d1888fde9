package dev.gputracker.worker.normalize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds whole-word phrases in a cleaned title: a phrase matches where neither the character before it nor the one
 * after it is a letter or digit. The same answers as the regular expression
 * {@code (?<![\p{L}\d])(phrase1|phrase2|...)(?![\p{L}\d])}: the leftmost match, and at one position the phrase listed
 * first. A regex alternation tries every phrase at every character of the title, which made these lists most of the
 * normaliser's cost; this tries only the phrases that start with the letter a word starts with.
 */
final class PhraseMatcher {
  /** A phrase found in a title. */
  record Match(String phrase, int start, int end) {}

  private final Map<Character, String[]> byFirstChar;

  private PhraseMatcher(Map<Character, String[]> byFirstChar) {
    this.byFirstChar = byFirstChar;
  }

  /** Phrases in order of preference; each starts and ends with a letter or digit, lower case. */
  static PhraseMatcher of(String... phrases) {
    Map<Character, List<String>> lists = new HashMap<>();
    for (String p : phrases) {
      if (p.isEmpty() || !wordChar(p.charAt(0)) || !wordChar(p.charAt(p.length() - 1))) {
        throw new IllegalArgumentException("a phrase must start and end with a letter or digit: '" + p + "'");
      }
      lists.computeIfAbsent(p.charAt(0), c -> new ArrayList<>()).add(p);
    }
    Map<Character, String[]> index = new HashMap<>();
    lists.forEach((c, l) -> index.put(c, l.toArray(new String[0])));
    return new PhraseMatcher(index);
  }

  /** The first match at or after {@code from}, or null. */
  Match find(String text, int from) {
    int n = text.length();
    for (int i = Math.max(0, from); i < n; i++) {
      char c = text.charAt(i);
      if (i > 0 && wordChar(text.charAt(i - 1))) {
        continue;
      }
      String[] candidates = byFirstChar.get(c);
      if (candidates == null) {
        continue;
      }
      for (String p : candidates) {
        int end = i + p.length();
        if (text.startsWith(p, i) && (end == n || !wordChar(text.charAt(end)))) {
          return new Match(p, i, end);
        }
      }
    }
    return null;
  }

  Match find(String text) {
    return find(text, 0);
  }

  boolean containsIn(String text) {
    return find(text, 0) != null;
  }

  /** A letter or an ASCII digit: what {@code [\p{L}\d]} matches. */
  static boolean wordChar(char c) {
    return (c >= '0' && c <= '9') || Character.isLetter(c);
  }
}
