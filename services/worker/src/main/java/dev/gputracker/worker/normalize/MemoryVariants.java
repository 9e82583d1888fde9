package dev.gputracker.worker.normalize;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.catalog.GpuModel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Chooses a model's memory variant from the memory a title states, and says when the stated memory
 * is one the model never shipped with. The catalog names variants {@code <model>-<size>gb} ({@code
 * rx-580-8gb}, {@code rx-580-4gb}); the variant listed first is what a title that states no memory
 * is read as.
 */
final class MemoryVariants {
  /**
   * A memory size in a cleaned title: "8 gb", "12 g", "2048 mb". Not the second digit of a decimal
   * ("3 5 gb" is 3.5 GB, which only a GTX 970 claims), nor system memory or storage ("16 gb ram",
   * "32 gb ddr 5", "512 gb ssd"; a card's own DDR3 or DDR4 is its memory), nor a rate ("448 gb s").
   */
  private static final Pattern VARIANT = Pattern.compile("(.+)-(\\d+)gb");

  /** A model chosen, or the size the title claims that no variant has. */
  record Choice(GpuModel model, BigDecimal stated, boolean mismatch) {}

  private final Map<String, List<GpuModel>> byBase = new HashMap<>();

  MemoryVariants(GpuCatalog catalog) {
    for (GpuModel m : catalog.models()) {
      Matcher v = VARIANT.matcher(m.slug());
      String base = v.matches() ? v.group(1) : m.slug();
      byBase.computeIfAbsent(base, k -> new ArrayList<>()).add(m);
    }
  }

  /**
   * The variant of {@code base} whose memory the title states, else the first variant; null when
   * the catalog has no model of that name.
   */
  Choice choose(String base, String cleaned) {
    List<GpuModel> variants = byBase.get(base);
    if (variants == null) {
      return null;
    }
    BigDecimal stated = stated(cleaned);
    if (stated == null) {
      return new Choice(variants.get(0), null, false);
    }
    for (GpuModel m : variants) {
      if (m.vramGb().compareTo(stated) == 0) {
        return new Choice(m, stated, false);
      }
    }
    return new Choice(variants.get(0), stated, true);
  }

  /** The memory sizes {@code base} shipped with, for a reader: "8 or 4 GB". */
  String sizes(String base) {
    return byBase.get(base).stream()
            .map(m -> m.vramGb().stripTrailingZeros().toPlainString())
            .collect(Collectors.joining(" or "))
        + " GB";
  }

  /**
   * The first memory size the title states, in GB, or null: "8 gb", "12 g", "2048 mb", but not the
   * second digit of a decimal ("3 5 gb" is 3.5 GB, which only a GTX 970 claims), nor system memory,
   * storage or a rate ("16 gb ram", "32 gb ddr 5", "512 gb ssd", "448 gb s"; a card's own DDR3 or
   * DDR4 is its memory). A loop over the words rather than a regular expression: it runs for every
   * accepted title.
   */
  static BigDecimal stated(String cleaned) {
    int n = cleaned.length();
    int i = 0;
    while (i < n) {
      int numberStart = i;
      while (i < n && Character.isDigit(cleaned.charAt(i))) {
        i++;
      }
      int numberEnd = i;
      boolean wordStart = numberStart == 0 || cleaned.charAt(numberStart - 1) == ' ';
      if (numberEnd > numberStart && numberEnd - numberStart <= 4 && wordStart) {
        int u = numberEnd < n && cleaned.charAt(numberEnd) == ' ' ? numberEnd + 1 : numberEnd;
        int unitEnd = u;
        while (unitEnd < n && Character.isLetter(cleaned.charAt(unitEnd))) {
          unitEnd++;
        }
        String unit = cleaned.substring(u, unitEnd);
        boolean size = unit.equals("gb") || unit.equals("g") || unit.equals("mb");
        if (size
            && !(numberEnd - numberStart == 1 && afterSingleDigit(cleaned, numberStart))
            && !notVideoMemory(cleaned, unitEnd)) {
          int value = Integer.parseInt(cleaned, numberStart, numberEnd, 10);
          if (unit.equals("mb")) {
            if (value >= 512 && value % 512 == 0) {
              return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(1024));
            }
          } else if (value >= 1 && value <= 300) {
            return BigDecimal.valueOf(value);
          }
        }
      }
      // On to the next word.
      while (i < n && cleaned.charAt(i) != ' ') {
        i++;
      }
      i++;
    }
    return null;
  }

  /**
   * Words after a size that make it system memory, storage or a rate: "16 gb ram", "32 gb ddr 5",
   * "448 gb s".
   */
  private static final String[] NOT_VIDEO = {
    " ram ", " ddr 5 ", " ssd ", " hdd ", " emmc ", " nvme ", " s ", " storage "
  };

  private static boolean notVideoMemory(String s, int unitEnd) {
    for (String w : NOT_VIDEO) {
      if (s.startsWith(w, unitEnd)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the word before {@code at} is one digit: "3 5 gb" (3.5 GB), not "sxm 4 40 gb" or "1060
   * 3 gb".
   */
  private static boolean afterSingleDigit(String s, int at) {
    return at >= 2
        && s.charAt(at - 1) == ' '
        && Character.isDigit(s.charAt(at - 2))
        && (at == 2 || s.charAt(at - 3) == ' ');
  }
}
