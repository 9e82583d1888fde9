package dev.gputracker.worker.normalize;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a marketplace title into plain lower-case words that the rules can match: accents folded,
 * every kind of dash and separator a space, letters split from digits where sellers glue them
 * ("RTX4090" → "rtx 4090", "3060Ti" → "3060 ti", "24GB" → "24 gb").
 */
final class TitleCleaner {
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  /**
   * Separators besides dashes (any Unicode dash punctuation, {@code \\p{Pd}}): each becomes a
   * space.
   */
  private static final String SEPARATOR_CHARS = "_/|,;:()[]{}+*\"'!?®™©•·.";

  /**
   * Longer titles are descriptions pasted into the title field; the model is always named early.
   */
  static final int MAX_LENGTH = 400;

  /**
   * Tokens mixing letters and digits that carry meaning: model names ("rtx3080", "a100", "6600xt",
   * "mi300x"), memory ("12gb", "8g"), interfaces ("sxm4", "gddr6x"). Any other mix is a part number
   * ("GV-N3080GAMING", "VCG3070T8TFXPPB", "O10G") whose digits must not be read as a model.
   */
  private static final Pattern MEANINGFUL =
      Pattern.compile(
          "(rtx|gtx|gt|rx|a|h|l|t|v|p|b|gh|gp|gv|mi|w|wx|arc|i|x|hd|r|k|m|vega)?\\d{1,5}"
              + "(ti|super|xtx|xt|gre|s|x|x2|a|gb|g|mb|tb|bit|mhz|ghz|gbps|w|nm|hz|k|th|st|nd|rd|d|e)?"
              + "|(rtx|gtx|rx)?\\d{3,5}\\p{L}+|\\d+vhpwr"
              + "|(sxm|pcie|pci|gen|gddr|ddr|hbm|hdmi|dp|v|rev|usb)\\d+\\w{0,2}");

  private TitleCleaner() {}

  /**
   * Character loops rather than a chain of regular-expression replacements: titles are cleaned for
   * every listing of every page, and the regex chain (with look-arounds at every character) was a
   * third of the normaliser's time.
   */
  static String clean(String title) {
    String s = title.length() > MAX_LENGTH ? title.substring(0, MAX_LENGTH) : title;
    boolean ascii = isAscii(s);
    if (!ascii) {
      // Only non-ASCII text has accents to fold or compatibility forms (full-width digits,
      // ligatures) to unpack.
      s = Normalizer.normalize(s, Normalizer.Form.NFKD);
      s = MARKS.matcher(s).replaceAll("");
    }
    s = s.toLowerCase(Locale.ROOT).replace('ł', 'l');
    if (!ascii) {
      s = foldLookAlikes(s);
    }
    StringBuilder out = new StringBuilder(s.length() + 16).append(' ');
    int i = 0;
    int n = s.length();
    while (i < n) {
      // One whitespace-delimited token at a time, separators already read as spaces.
      while (i < n && isSpace(s.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isSpace(s.charAt(i))) {
        i++;
      }
      if (start < i) {
        appendToken(out, s.substring(start, i));
      }
    }
    return out.length() == 1 ? "  " : out.toString();
  }

  /** Cyrillic letters drawn like Latin ones, lower case, and the Latin letter each is read as. */
  private static final String CYRILLIC = "авекмнорстухіјѕԁ";

  private static final String LATIN = "abekmhopctyxijsd";

  /**
   * Series words and suffixes that, typed all in Cyrillic look-alikes ("Ті", "ХТ"), are still read
   * as Latin.
   */
  private static final Set<String> LOOK_ALIKE_WORDS =
      Set.of("ti", "xt", "xtx", "rtx", "gtx", "rx", "gt", "hd");

  /**
   * Reads Cyrillic look-alikes as Latin letters inside words that also hold Latin letters or digits
   * ("RТХ 3080" typed with a Cyrillic Т and Х, "GТХ1080"), and in the few series words and suffixes
   * typed wholly in them ("Ті"): any other Bulgarian word, all Cyrillic, is left as it is.
   */
  static String foldLookAlikes(String s) {
    char[] out = null;
    int n = s.length();
    int start = 0;
    while (start < n) {
      int end = start;
      boolean latin = false;
      boolean cyrillic = false;
      while (end < n && !isSpace(s.charAt(end))) {
        char c = s.charAt(end);
        latin |= c < 0x80 && Character.isLetterOrDigit(c);
        cyrillic |= c >= 0x400 && c <= 0x52f;
        end++;
      }
      if (cyrillic && (latin || lookAlikeWord(s, start, end))) {
        for (int i = start; i < end; i++) {
          int k = CYRILLIC.indexOf(s.charAt(i));
          if (k >= 0) {
            if (out == null) {
              out = s.toCharArray();
            }
            out[i] = LATIN.charAt(k);
          }
        }
      }
      start = end + 1;
    }
    return out == null ? s : new String(out);
  }

  private static boolean lookAlikeWord(String s, int start, int end) {
    if (end - start > 3) {
      return false;
    }
    StringBuilder folded = new StringBuilder(3);
    for (int i = start; i < end; i++) {
      int k = CYRILLIC.indexOf(s.charAt(i));
      if (k < 0) {
        return false;
      }
      folded.append(LATIN.charAt(k));
    }
    return LOOK_ALIKE_WORDS.contains(folded.toString());
  }

  /** Appends a token's words with a trailing space, or nothing when the token is a part number. */
  private static void appendToken(StringBuilder out, String token) {
    boolean letter = false;
    boolean digit = false;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      letter |= Character.isLetter(c);
      digit |= Character.isDigit(c);
    }
    if (letter && digit && !MEANINGFUL.matcher(token).matches()) {
      return;
    }
    char prev = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (i > 0
          && ((Character.isLetter(prev) && isAsciiDigit(c))
              || (isAsciiDigit(prev) && Character.isLetter(c)))) {
        out.append(' ');
      }
      out.append(c);
      prev = c;
    }
    out.append(' ');
  }

  /** Whitespace as {@code \\s} has it, plus the separators, which read as spaces. */
  private static boolean isSpace(char c) {
    if (c < 0x80) {
      // ASCII has one dash, and asking Character for the type of every character was a tenth of the
      // cleaning.
      return SPACE[c];
    }
    return SEPARATOR_CHARS.indexOf(c) >= 0 || Character.getType(c) == Character.DASH_PUNCTUATION;
  }

  private static final boolean[] SPACE = new boolean[0x80];

  static {
    for (char c : (" \t\n\u000B\f\r-" + SEPARATOR_CHARS).toCharArray()) {
      if (c < 0x80) {
        SPACE[c] = true;
      }
    }
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
