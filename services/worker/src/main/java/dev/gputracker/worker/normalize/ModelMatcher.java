package dev.gputracker.worker.normalize;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the GPU model a cleaned title names (see {@link TitleCleaner}: lower case, letters split from digits, so
 * "A100-SXM4-80GB" reads "a 100 sxm 4 80 gb"). Rules are tried from the most specific (workstation and data-centre
 * names, which contain numbers that look like GeForce ones) to the most general; the first hit wins.
 */
final class ModelMatcher {

  /** A model mention and where in the title it is (accessory rules look at what comes before it). */
  record Hit(String slug, int start, int end) {}

  /**
   * A rule and the literal text it cannot match without (any of {@code hints}; none for the GeForce numbers): a
   * {@code contains} check skips most regex scans, which is most of the normaliser's cost.
   */
  private record Rule(String[] hints, Pattern pattern, Function<Matcher, String> slug) {
    /**
     * Where a match could start at the earliest, or -1 when the title lacks the rule's literal text. The GeForce
     * rule, which has no literal, starts a little before the first model number in the title: its optional
     * "geforce rtx " prefix is at most that long.
     */
    int searchFrom(String cleaned) {
      if (hints.length == 0) {
        int number = firstGeForceNumber(cleaned);
        return number < 0 ? -1 : Math.max(0, number - GEFORCE_PREFIX);
      }
      for (String hint : hints) {
        if (cleaned.contains(hint)) {
          return 0;
        }
      }
      return -1;
    }
  }

  /** The length of the longest optional prefix of a GeForce number: "geforce rtx ". */
  private static final int GEFORCE_PREFIX = "geforce rtx ".length();

  /** The index of the first four-digit word starting 10, 16, 20, 30, 40 or 50, or -1. */
  private static int firstGeForceNumber(String s) {
    int n = s.length();
    for (int i = 0; i + 4 <= n; i++) {
      char c = s.charAt(i);
      if (c != '1' && c != '2' && c != '3' && c != '4' && c != '5') {
        continue;
      }
      if (i > 0 && isRegexWordChar(s.charAt(i - 1))) {
        continue;
      }
      char d = s.charAt(i + 1);
      if ((d == '0' || (c == '1' && d == '6')) && Character.isDigit(s.charAt(i + 2))
          && Character.isDigit(s.charAt(i + 3))) {
        return i;
      }
    }
    return -1;
  }

  /** What {@code \\b} counts as a word character. */
  private static boolean isRegexWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static final String GB = " ?gb?\\b";

  private static final List<Rule> RULES = List.of(
      // Workstation and data-centre parts first: "rtx 6000 ada", "rtx a 6000", "a 100", "h 100" ...
      rule(new String[] {"rtx pro"}, "\\brtx pro (4000|4500|5000|6000)\\b", m -> "rtx-pro-" + m.group(1)),
      // The small-form-factor 4000 is the same chip and memory at a lower power limit.
      rule(new String[] {" ada"}, "\\brtx (2000|4000|4500|5000|6000)(?: sff)? ada\\b", m -> "rtx-" + m.group(1) + "-ada"),
      rule(new String[] {"a 2000", "a 4000", "a 4500", "a 5000", "a 6000"}, "\\b(?:rtx |quadro )?a (2000|4000|4500|5000|6000)\\b", m -> "rtx-a" + m.group(1)),
      rule(new String[] {"gh 200"}, "\\bgh 200\\b", m -> "gh200"),
      rule(new String[] {"h 200"}, "\\bh 200 nvl\\b", m -> "h200-nvl"),
      rule(new String[] {"h 200"}, "\\bh 200\\b", m -> "h200"),
      rule(new String[] {"h 100"}, "\\bh 100\\b(.*)", m -> h100(m.group(1))),
      rule(new String[] {"b 100", "b 200", "b 300"}, "\\bb (100|200|300)\\b", m -> "b" + m.group(1)),
      rule(new String[] {"a 100"}, "\\ba 100\\b", m -> null), // memory decided below from the whole title
      rule(new String[] {"v 100"}, "\\b(?:tesla )?v 100\\b", m -> null),
      rule(new String[] {"p 100"}, "\\b(?:tesla )?p 100\\b", m -> "p100"),
      rule(new String[] {"l 40"}, "\\bl 40 s\\b", m -> "l40s"),
      rule(new String[] {"l 40"}, "\\bl 40\\b", m -> "l40"),
      rule(new String[] {"l 4"}, "\\b(?:nvidia |tesla )?l 4\\b", m -> "l4"),
      rule(new String[] {"a 1", "a 3", "a 4"}, "\\b(?:nvidia |tesla )?a (10|16|30|40)\\b(?: g\\b)?", m -> "a" + m.group(1)),
      rule(new String[] {"a 2"}, "\\b(?:nvidia|tesla) a 2\\b", m -> "a2"),
      rule(new String[] {"t 4"}, "\\b(?:nvidia |tesla )?t 4\\b", m -> "t4"),
      rule(new String[] {"titan"}, "\\btitan rtx\\b", m -> "titan-rtx"),
      // AMD Instinct and Radeon PRO.
      rule(new String[] {"mi "}, "\\bmi (100|210|250|300|325)( x)?\\b", m -> "mi" + m.group(1) + (m.group(2) == null ? "" : "x")),
      rule(new String[] {"w 7900"}, "\\bw (7900)\\b", m -> "radeon-pro-w" + m.group(1)),
      // AMD Radeon RX: "rx 7900 xtx", "radeon 6800 xt".
      rule(new String[] {"rx ", "radeon"}, "\\b(?:rx|radeon(?: rx)?) (\\d{4}) ?(xtx|xt|gre)?\\b", m -> "rx-" + m.group(1)
          + (m.group(2) == null ? "" : "-" + m.group(2))),
      // Intel Arc: "arc a 770", or a bare "a 770"/"b 580" next to intel.
      rule(new String[] {"arc ", "intel "}, "\\b(?:arc|intel) (a|b) (310|380|580|750|770|570)\\b", m -> "arc-" + m.group(1) + m.group(2)),
      // GeForce: "rtx 4070 ti super", "gtx 1660 super", "3090 ti" (the prefix is often left out).
      // A resolution ("1080p") is not a card.
      rule(new String[0], "\\b(?:geforce |nvidia )?(?:rtx |gtx )?(10[5-8]0|16[356]0|20[6-8]0|30[5-9]0|40[6-9]0|50[5-9]0)"
          + "(?: (ti|super))?(?: (super))?\\b(?! p\\b)", ModelMatcher::geforce));

  private static final Pattern MEM_40 = Pattern.compile("\\b40" + GB);
  private static final Pattern MEM_32 = Pattern.compile("\\b32" + GB);
  private static final Pattern MEM_8 = Pattern.compile("\\b8" + GB);
  private static final Pattern MEM_3 = Pattern.compile("\\b3" + GB);

  private ModelMatcher() {}

  private static Rule rule(String[] hints, String regex, Function<Matcher, String> slug) {
    return new Rule(hints, Pattern.compile(regex), slug);
  }

  /** The first model the title names, or empty. */
  static Optional<Hit> find(String cleaned) {
    for (Rule rule : RULES) {
      int from = rule.searchFrom(cleaned);
      if (from < 0) {
        continue;
      }
      // Transparent bounds: the word boundaries at the search's start still see the text before it.
      Matcher m = rule.pattern().matcher(cleaned).useTransparentBounds(true).region(from, cleaned.length());
      if (m.find()) {
        String slug = rule.slug().apply(m);
        slug = slug == null ? byMemory(m.group(), cleaned) : withMemory(slug, cleaned);
        return Optional.of(new Hit(slug, m.start(), m.end()));
      }
    }
    return Optional.empty();
  }

  /** Every distinct model the title names, in order of the rules (several mean a "pick your model" listing). */
  static List<Hit> findAll(String cleaned) {
    List<Hit> hits = new java.util.ArrayList<>();
    String rest = cleaned;
    for (int i = 0; i < 8; i++) {
      Optional<Hit> hit = find(rest);
      if (hit.isEmpty()) {
        break;
      }
      if (hits.stream().noneMatch(h -> h.slug().equals(hit.get().slug()))) {
        hits.add(hit.get());
      }
      rest = rest.substring(0, hit.get().start()) + " ".repeat(hit.get().end() - hit.get().start())
          + rest.substring(hit.get().end());
    }
    return hits;
  }

  /** Models whose SKUs differ only in memory, decided from the memory the title states. */
  private static String byMemory(String matched, String cleaned) {
    if (matched.contains("a 100")) {
      // Without a stated size, the 80 GB part: it is what clouds rent and what sells today.
      return MEM_40.matcher(cleaned).find() ? "a100-40gb" : "a100-80gb";
    }
    return MEM_32.matcher(cleaned).find() ? "v100-32gb" : "v100-16gb";
  }

  private static String h100(String rest) {
    if (rest.contains(" nvl")) {
      return "h100-nvl";
    }
    if (rest.contains(" pcie") || rest.contains(" pci e")) {
      return "h100-pcie";
    }
    // SXM, "80GB HBM3" (how RunPod names the SXM part) and a bare "H100" in cloud offers.
    return "h100-sxm";
  }

  private static String geforce(Matcher m) {
    String number = m.group(1);
    String series = number.startsWith("10") || number.startsWith("16") ? "gtx-" : "rtx-";
    StringBuilder slug = new StringBuilder(series).append(number);
    if (m.group(2) != null) {
      slug.append('-').append(m.group(2));
    }
    if (m.group(3) != null) {
      slug.append('-').append(m.group(3));
    }
    return slug.toString();
  }

  /** Picks the memory SKU for the GeForce models sold with different memory under one name. */
  private static String withMemory(String slug, String cleaned) {
    switch (slug) {
      case "rtx-3060":
        // Without a stated size, the 12 GB card: the 8 GB one came later and sold far less.
        return MEM_8.matcher(cleaned).find() ? "rtx-3060-8gb" : "rtx-3060-12gb";
      case "gtx-1060":
        return MEM_3.matcher(cleaned).find() ? "gtx-1060-3gb" : "gtx-1060-6gb";
      default:
        return slug;
    }
  }
}
