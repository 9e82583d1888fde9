package dev.gputracker.worker.normalize;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a marketplace title into plain lower-case words that the rules can match: accents folded, every kind of
 * dash and separator a space, letters split from digits where sellers glue them ("RTX4090" → "rtx 4090",
 * "3060Ti" → "3060 ti", "24GB" → "24 gb").
 */
final class TitleCleaner {
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern SEPARATORS = Pattern.compile("[\\p{Pd}_/|,;:()\\[\\]{}+*\"'!?®™©•·]+");
  private static final Pattern LETTER_DIGIT = Pattern.compile("(?<=\\p{L})(?=\\d)|(?<=\\d)(?=\\p{L})");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  /** Longer titles are descriptions pasted into the title field; the model is always named early. */
  static final int MAX_LENGTH = 400;
  /**
   * Tokens mixing letters and digits that carry meaning: model names ("rtx3080", "a100", "6600xt", "mi300x"),
   * memory ("12gb", "8g"), interfaces ("sxm4", "gddr6x"). Any other mix is a part number ("GV-N3080GAMING",
   * "VCG3070T8TFXPPB", "O10G") whose digits must not be read as a model.
   */
  private static final Pattern MEANINGFUL = Pattern.compile(
      "(rtx|gtx|gt|rx|a|h|l|t|v|p|b|gh|mi|w|arc|i|x|hd)?\\d{1,5}"
          + "(ti|super|xtx|xt|gre|s|x|gb|g|mb|tb|bit|mhz|ghz|gbps|w|nm|hz|k|th|st|nd|rd|d|e)?"
          + "|(rtx|gtx|rx)?\\d{3,5}\\p{L}+|\\d+vhpwr"
          + "|(sxm|pcie|pci|gen|gddr|ddr|hbm|hdmi|dp|v|rev|usb)\\d+\\w{0,2}");

  private TitleCleaner() {}

  static String clean(String title) {
    String s = title.length() > MAX_LENGTH ? title.substring(0, MAX_LENGTH) : title;
    s = Normalizer.normalize(s, Normalizer.Form.NFKD);
    s = MARKS.matcher(s).replaceAll("");
    s = s.toLowerCase(Locale.ROOT).replace('ł', 'l');
    s = SEPARATORS.matcher(s).replaceAll(" ");
    s = s.replace('.', ' ');
    s = dropPartNumbers(s);
    s = LETTER_DIGIT.matcher(s).replaceAll(" ");
    s = SPACES.matcher(s).replaceAll(" ").trim();
    return " " + s + " ";
  }

  private static String dropPartNumbers(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (String token : SPACES.split(s)) {
      boolean letter = false;
      boolean digit = false;
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        letter |= Character.isLetter(c);
        digit |= Character.isDigit(c);
      }
      if (!(letter && digit) || MEANINGFUL.matcher(token).matches()) {
        out.append(token).append(' ');
      }
    }
    return out.toString();
  }
}
