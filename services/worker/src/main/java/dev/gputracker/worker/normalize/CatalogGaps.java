package dev.gputracker.worker.normalize;

import dev.gputracker.shared.catalog.CatalogGapQuery;
import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.catalog.GpuModel;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the catalog lacks, as the normaliser sees it: for a title that looks like a graphics card
 * but names no catalog model, the words it could not place ("cmp 170 hx"), written into the
 * rejection's detail as {@code no catalog model for "cmp 170 hx"} so that rejects can be grouped by
 * them ({@code GET /api/rejected/gaps}, the worker's {@code gaps} command), and the catalog model
 * nearest to those words ({@code normalize --why}).
 */
public final class CatalogGaps {
  /** The detail's prefix; the words follow in double quotes. */
  public static final String PREFIX = CatalogGapQuery.DETAIL_PREFIX;

  /** The detail when the title has no model number at all ("Graphics card 8GB GDDR5"). */
  public static final String NO_NUMBER = "no model number";

  /**
   * A model number: a number that is not a size, a rate, a bus width or a connector's version, with
   * the word before it when that is a series word ("cmp", "rx", "quadro k") and a short suffix
   * after it ("hx", "ti", "xt").
   */
  private static final Pattern NUMBER =
      Pattern.compile("(?:\\b([a-z]{1,8}) )?(?:\\b([a-z]) )?\\b(\\d{2,5})\\b(?: ([a-z]{1,5})\\b)?");

  private static final Set<String> UNITS =
      Set.of(
          "gb", "g", "mb", "tb", "bit", "bits", "mhz", "ghz", "gbps", "w", "hz", "nm", "p", "mm",
          "cm", "v", "a", "pin", "pins", "k", "fps", "x", "db", "rpm", "s");

  /** Words before a number that make it something other than a model number. */
  private static final Set<String> NOT_MODEL =
      Set.of(
          "gddr", "ddr", "pcie", "pci", "gen", "hdmi", "dp", "usb", "rev", "sxm", "hbm", "directx",
          "dx", "opengl", "windows", "cuda", "x", "with", "for", "edition", "v");

  /** Words that add nothing to a model number: brands and board partners. */
  private static final Set<String> NOISE =
      Set.of(
          "nvidia",
          "amd",
          "intel",
          "geforce",
          "asus",
          "msi",
          "gigabyte",
          "zotac",
          "evga",
          "palit",
          "pny",
          "sapphire",
          "xfx",
          "powercolor",
          "asrock",
          "gainward",
          "inno",
          "galax",
          "kfa",
          "colorful",
          "igame",
          "biostar",
          "afox",
          "yeston",
          "maxsun",
          "dual",
          "gaming",
          "oc",
          "graphics",
          "card",
          "video",
          "new",
          "used",
          "karta",
          "graficzna",
          "grafikkarte");

  private CatalogGaps() {}

  /** The words a title names instead of a catalog model, or {@link #NO_NUMBER}. */
  static String unplacedWords(String cleaned) {
    Matcher m = NUMBER.matcher(cleaned);
    while (m.find()) {
      String before = m.group(1);
      String letter = m.group(2);
      String after = m.group(4);
      if ((before != null && NOT_MODEL.contains(before) && letter == null)
          || (after != null && UNITS.contains(after))
          || (letter != null && NOT_MODEL.contains(letter))) {
        continue;
      }
      StringBuilder words = new StringBuilder();
      if (before != null && !NOISE.contains(before) && !NOT_MODEL.contains(before)) {
        words.append(before).append(' ');
      }
      if (letter != null) {
        words.append(letter).append(' ');
      }
      words.append(m.group(3));
      if (after != null && !NOISE.contains(after)) {
        words.append(' ').append(after);
      }
      return words.toString();
    }
    return NO_NUMBER;
  }

  static String detail(String words) {
    return words.equals(NO_NUMBER)
        ? PREFIX + "a title without a model number"
        : PREFIX + "\"" + words + "\"";
  }

  /** The unplaced words of an {@code unknown_model} detail, or empty for other details. */
  public static Optional<String> wordsOf(String detail) {
    if (detail == null || !detail.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String rest = detail.substring(PREFIX.length());
    return Optional.of(
        rest.startsWith("\"") && rest.endsWith("\"")
            ? rest.substring(1, rest.length() - 1)
            : NO_NUMBER);
  }

  /**
   * The catalog model whose name, without brand words, is nearest to {@code words} in edit
   * distance, a changed digit counting twice a changed letter ("gtx 1090" is nearer "gtx 1080" than
   * "rtx 1090" would be), or empty for none.
   */
  public static Optional<GpuModel> nearest(GpuCatalog catalog, String words) {
    if (words == null || words.isBlank() || words.equals(NO_NUMBER)) {
      return Optional.empty();
    }
    String target = words.toLowerCase(Locale.ROOT);
    GpuModel best = null;
    long bestDistance = Long.MAX_VALUE;
    long number = firstNumber(target);
    for (GpuModel m : catalog.models()) {
      String alias =
          TitleCleaner.clean(m.name())
              .trim()
              .replaceAll("\\b(geforce|radeon|quadro|tesla|nvidia|amd|intel|instinct|gpus?)\\b", "")
              .replaceAll(" +", " ")
              .trim();
      // Equally near in spelling, the nearer model number wins: "gtx 1090" is a GTX 1080 sooner
      // than a GTX 1050.
      long d =
          distance(target, alias) * 100_000L
              + Math.min(99_999L, Math.abs(firstNumber(alias) - number));
      if (d < bestDistance) {
        bestDistance = d;
        best = m;
      }
    }
    return Optional.ofNullable(best);
  }

  private static long firstNumber(String s) {
    Matcher m = DIGITS.matcher(s);
    return m.find() ? Long.parseLong(m.group()) : 0;
  }

  private static final Pattern DIGITS = Pattern.compile("\\d{1,6}");

  /**
   * Levenshtein distance, where changing a digit costs two: model numbers matter more than letters.
   */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        char x = a.charAt(i - 1);
        char y = b.charAt(j - 1);
        int change = x == y ? 0 : (Character.isDigit(x) || Character.isDigit(y) ? 2 : 1);
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + change);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
