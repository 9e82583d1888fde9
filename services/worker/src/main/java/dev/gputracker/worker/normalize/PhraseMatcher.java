package dev.gputracker.worker.normalize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds whole-word phrases in a cleaned title: a phrase matches where neither the character before
 * it nor the one after it is a letter or digit. The same answers as the regular expression {@code
 * (?<![\p{L}\d])(phrase1|phrase2|...)(?![\p{L}\d])}: the leftmost match, and at one position the
 * phrase listed first. A regex alternation tries every phrase at every character of the title,
 * which made these lists most of the normaliser's cost; this tries only the phrases that start with
 * the letter a word starts with.
 */
final class PhraseMatcher {
  /** A phrase found in a title. */
  record Match(String phrase, int start, int end) {}

  /**
   * Phrases by their first character: an array for Latin and Cyrillic letters and digits (every
   * title's word starts are looked up here; a hash map's lookup, boxing included, was most of a
   * scan's cost), a map for the rest.
   */
  private static final int DIRECT = 0x530;

  private final String[][] direct = new String[DIRECT][];
  private final Map<Character, String[]> byFirstChar;

  private PhraseMatcher(Map<Character, String[]> byFirstChar) {
    this.byFirstChar = byFirstChar;
    byFirstChar.forEach(
        (c, list) -> {
          if (c < DIRECT) {
            direct[c] = list;
          }
        });
  }

  /** Phrases in order of preference; each starts and ends with a letter or digit, lower case. */
  static PhraseMatcher of(String... phrases) {
    Map<Character, List<String>> lists = new HashMap<>();
    for (String p : phrases) {
      if (p.isEmpty() || !wordChar(p.charAt(0)) || !wordChar(p.charAt(p.length() - 1))) {
        throw new IllegalArgumentException(
            "a phrase must start and end with a letter or digit: '" + p + "'");
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
      String[] candidates = c < DIRECT ? direct[c] : byFirstChar.get(c);
      if (candidates == null) {
        continue;
      }
      // Most candidates differ at the second character: compare it before the whole phrase.
      char second = i + 1 < n ? text.charAt(i + 1) : 0;
      for (String p : candidates) {
        int end = i + p.length();
        if ((p.length() == 1 || p.charAt(1) == second)
            && text.startsWith(p, i)
            && (end == n || !wordChar(text.charAt(end)))) {
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

  /**
   * Several phrase lists scanned together: one pass over a title finds, for each list, the matches
   * {@link PhraseMatcher#find} would give (at each position the phrase listed first). The reject
   * rules ask about ten lists of every title; scanning it once instead of once per list halved
   * their cost.
   */
  static final class Group {
    private final PhraseMatcher[] lists;

    /** Candidate phrases by first character, and the list each belongs to. */
    private final String[][] phrases = new String[DIRECT][];

    private final int[][] owners = new int[DIRECT][];
    private final Map<Character, String[]> otherPhrases = new HashMap<>();
    private final Map<Character, int[]> otherOwners = new HashMap<>();

    Group(PhraseMatcher... lists) {
      this.lists = lists;
      Map<Character, List<String>> p = new HashMap<>();
      Map<Character, List<Integer>> o = new HashMap<>();
      for (int k = 0; k < lists.length; k++) {
        for (Map.Entry<Character, String[]> e : lists[k].byFirstChar.entrySet()) {
          for (String phrase : e.getValue()) {
            p.computeIfAbsent(e.getKey(), c -> new ArrayList<>()).add(phrase);
            o.computeIfAbsent(e.getKey(), c -> new ArrayList<>()).add(k);
          }
        }
      }
      p.forEach(
          (c, list) -> {
            String[] ps = list.toArray(new String[0]);
            int[] os = o.get(c).stream().mapToInt(Integer::intValue).toArray();
            if (c < DIRECT) {
              phrases[c] = ps;
              owners[c] = os;
            } else {
              otherPhrases.put(c, ps);
              otherOwners.put(c, os);
            }
          });
    }

    /** Every list's matches in the text, left to right. */
    Scan scan(String text) {
      @SuppressWarnings("unchecked")
      List<Match>[] found = new List[lists.length];
      int n = text.length();
      for (int i = 0; i < n; i++) {
        char c = text.charAt(i);
        if (i > 0 && wordChar(text.charAt(i - 1))) {
          continue;
        }
        String[] candidates = c < DIRECT ? phrases[c] : otherPhrases.get(c);
        if (candidates == null) {
          continue;
        }
        int[] owner = c < DIRECT ? owners[c] : otherOwners.get(c);
        char second = i + 1 < n ? text.charAt(i + 1) : 0;
        for (int k = 0; k < candidates.length; k++) {
          String p = candidates[k];
          int end = i + p.length();
          if ((p.length() == 1 || p.charAt(1) == second)
              && text.startsWith(p, i)
              && (end == n || !wordChar(text.charAt(end)))) {
            List<Match> list = found[owner[k]];
            if (list == null) {
              list = found[owner[k]] = new ArrayList<>(2);
            }
            // At one position a list's first-listed phrase wins, as in find().
            if (list.isEmpty() || list.get(list.size() - 1).start() != i) {
              list.add(new Match(p, i, end));
            }
          }
        }
      }
      return new Scan(found);
    }
  }

  /** One title's matches, per list of its {@link Group}. */
  static final class Scan {
    private final List<Match>[] found;

    private Scan(List<Match>[] found) {
      this.found = found;
    }

    /** The list's first match at or after {@code from}, or null. */
    Match find(int list, int from) {
      List<Match> matches = found[list];
      if (matches != null) {
        for (Match m : matches) {
          if (m.start() >= from) {
            return m;
          }
        }
      }
      return null;
    }

    Match find(int list) {
      return find(list, 0);
    }

    boolean contains(int list) {
      return found[list] != null;
    }
  }

  /** A letter or an ASCII digit: what {@code [\p{L}\d]} matches. */
  static boolean wordChar(char c) {
    return (c >= '0' && c <= '9') || Character.isLetter(c);
  }
}
