package dev.gputracker.worker.normalize;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Tells a pick-your-model listing ("RTX 3060 / 3060 Ti / 3070", "Colorful RTX 3070 Ti Advanced OC …
 * / RTX 3070 Advanced OC …") from a card whose title names a sibling in passing ("RX 6600 8GB,
 * faster than GTX 1660 SUPER"). A later mention joins the list when only list words stand between
 * it and the one before (separators are spaces once cleaned, so "and", "or", memory sizes and
 * series words), or when it repeats a full product name (its own series word, "rtx 3070") not
 * introduced as a comparison.
 */
final class ModelLists {
  /** Words that may stand between two models of one list. */
  private static final Set<String> LIST_WORDS =
      Set.of(
          "and",
          "or",
          "und",
          "oder",
          "lub",
          "albo",
          "i",
          "a",
          "nebo",
          "и",
          "или",
          "&",
          "geforce",
          "nvidia",
          "rtx",
          "gtx",
          "gt",
          "rx",
          "radeon",
          "amd",
          "intel",
          "arc",
          "quadro",
          "tesla",
          "gb",
          "g",
          "version",
          "versions",
          "wersja",
          "variants");

  /** Words that introduce a comparison: the model after them is not for sale. */
  private static final Set<String> COMPARISON =
      Set.of(
          "like",
          "than",
          "vs",
          "versus",
          "similar",
          "equivalent",
          "comparable",
          "same",
          "as",
          "instead",
          "upgrade",
          "from",
          "replaces",
          "replacement",
          "beats",
          "level",
          "class",
          "performance",
          "jak",
          "niz",
          "wie",
          "als",
          "statt",
          "vergleichbar",
          "като",
          "от",
          "jako",
          "nez",
          "podobna",
          "lepsza",
          "szybsza",
          "besser",
          "schneller",
          "по",
          "над",
          "better",
          "faster",
          "slower",
          "equal",
          "not");

  /** Series words a full product name starts with. */
  private static final Set<String> SERIES =
      Set.of("rtx", "gtx", "gt", "rx", "radeon", "geforce", "quadro", "tesla", "arc", "hd", "r");

  private ModelLists() {}

  /**
   * The distinct base slugs of the list the title is, in order; one slug (the leading mention's)
   * when it is not a list.
   */
  static List<String> pickList(String cleaned, List<ModelMatcher.Hit> hits) {
    List<String> listed = new ArrayList<>(2);
    listed.add(hits.get(0).slug());
    for (int i = 1; i < hits.size(); i++) {
      ModelMatcher.Hit previous = hits.get(i - 1);
      ModelMatcher.Hit hit = hits.get(i);
      if (listed.contains(hit.slug())) {
        continue;
      }
      String[] between = words(cleaned.substring(previous.end(), hit.start()));
      boolean joined = true;
      for (String w : between) {
        if (!LIST_WORDS.contains(w) && !isNumber(w)) {
          joined = false;
          break;
        }
      }
      if ((joined || fullName(hit)) && !compared(cleaned, between, hit)) {
        listed.add(hit.slug());
      }
    }
    return listed;
  }

  private static boolean fullName(ModelMatcher.Hit hit) {
    String text = hit.text().trim();
    int space = text.indexOf(' ');
    return space > 0 && SERIES.contains(text.substring(0, space));
  }

  /** A comparison word among the three words before the mention or the two after it. */
  private static boolean compared(String cleaned, String[] between, ModelMatcher.Hit hit) {
    for (int i = Math.max(0, between.length - 3); i < between.length; i++) {
      if (COMPARISON.contains(between[i])) {
        return true;
      }
    }
    String[] after =
        words(cleaned.substring(hit.end(), Math.min(cleaned.length(), hit.end() + 30)));
    for (int i = 0; i < Math.min(2, after.length); i++) {
      if (COMPARISON.contains(after[i])) {
        return true;
      }
    }
    return false;
  }

  private static String[] words(String s) {
    String t = s.trim();
    return t.isEmpty() ? new String[0] : t.split(" +");
  }

  private static boolean isNumber(String w) {
    for (int i = 0; i < w.length(); i++) {
      if (!Character.isDigit(w.charAt(i))) {
        return false;
      }
    }
    return !w.isEmpty();
  }
}
