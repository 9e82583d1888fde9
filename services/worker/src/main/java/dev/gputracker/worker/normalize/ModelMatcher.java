package dev.gputracker.worker.normalize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the GPU models a cleaned title names (see {@link TitleCleaner}: lower case, letters split
 * from digits, so "A100-SXM4-80GB" reads "a 100 sxm 4 80 gb"). Rules run from the most specific
 * (workstation and data-centre names, which contain numbers that look like GeForce ones) to the
 * most general; where two rules match the same words, the earlier rule's reading stands. A rule
 * gives a model's base slug: memory variants ({@code rx-580-8gb}) are chosen afterwards from the
 * memory the title states (see {@link MemoryVariants}).
 */
final class ModelMatcher {

  /**
   * A model mention and where in the title it is (accessory rules look at what comes before it).
   *
   * @param slug the base slug (before the memory variant is chosen)
   * @param text the words that named it, as cleaned
   */
  record Hit(String slug, int start, int end, String text) {}

  /**
   * A rule and the literal text it cannot match without (any of {@code hints}; none for the GeForce
   * numbers): a {@code contains} check skips most regex scans, which is most of the normaliser's
   * cost.
   */
  private record Rule(String[] hints, Pattern pattern, BiFunction<Matcher, String, String> slug) {
    /**
     * Where a match could start at the earliest, or -1 when the title lacks the rule's literal
     * text. The GeForce rule, which has no literal, starts a little before the first model number
     * in the title: its optional "geforce rtx " prefix is at most that long.
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

  /**
   * The hints of the GeForce 600/700/900 rule: its series word and the number's first digit ("gtx
   * 9", "gt 7"), so the rule's regex runs only on titles that could hold such a card rather than on
   * every GeForce title.
   */
  private static final String[] OLDER_GEFORCE = {
    "gt 6", "gt 7", "gtx 6", "gtx 7", "gtx 9", "geforce 6", "geforce 7", "geforce 9"
  };

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
      if ((d == '0' || (c == '1' && d == '6'))
          && Character.isDigit(s.charAt(i + 2))
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

  /**
   * The memory of the Ada card that shares its number with a Quadro RTX card (RTX 6000 Ada: 48 GB).
   */
  private static final Pattern ADA_MEMORY = Pattern.compile("\\b(20|32|48) ?gb?\\b");

  private static final List<Rule> RULES =
      List.of(
          // Workstation and data-centre parts first: "rtx 6000 ada", "rtx a 6000", "a 100", "h 100"
          // ... ("arc pro a 40"
          // before NVIDIA's A40).
          rule(
              new String[] {"arc pro"},
              "\\barc pro (a|b) (40|50|60)\\b",
              (m, t) -> "arc-pro-" + m.group(1) + m.group(2)),
          rule(
              new String[] {"rtx pro"},
              "\\brtx pro (2000|4000|4500|5000|6000)\\b",
              (m, t) -> "rtx-pro-" + m.group(1)),
          // The small-form-factor 4000 is the same chip and memory at a lower power limit.
          rule(
              new String[] {" ada"},
              "\\brtx (2000|4000|4500|5000|5880|6000)(?: sff)? ada\\b",
              (m, t) -> "rtx-" + m.group(1) + "-ada"),
          rule(
              new String[] {
                "a 400", "a 1000", "a 2000", "a 4000", "a 4500", "a 5000", "a 5500", "a 6000"
              },
              "\\b(?:rtx |quadro |nvidia )?a (400|1000|2000|4000|4500|5000|5500|6000)\\b",
              (m, t) -> "rtx-a" + m.group(1)),
          // Quadro RTX 4000-8000 (Turing); "RTX 6000 48GB" without "Ada" is the Ada card, which has
          // that memory.
          rule(
              new String[] {"rtx 4000", "rtx 5000", "rtx 6000", "rtx 8000"},
              "\\b(quadro )?rtx (4000|5000|6000|8000)\\b",
              ModelMatcher::quadroRtx),
          rule(
              new String[] {"quadro", "nvidia k ", "nvidia m ", "nvidia p "},
              "\\b(?:quadro|nvidia) (?:quadro )?(k|m|p) (400|420|600|620|1000|1200|2000|2200|4000|4200|5000|5200|6000)\\b",
              (m, t) -> "quadro-" + m.group(1) + m.group(2)),
          // "Quadro P2000 / P4000 / P5000": in a Quadro title a bare K/M/P number is another
          // Quadro.
          rule(
              new String[] {"quadro"},
              "\\b(k|m|p) (400|420|600|620|1000|1200|2000|2200|4000|4200|5000|5200|6000)\\b",
              (m, t) -> "quadro-" + m.group(1) + m.group(2)),
          rule(
              new String[] {"gp 100", "gv 100"},
              "\\b(?:quadro )?(gp|gv) 100\\b",
              (m, t) -> "quadro-" + m.group(1) + "100"),
          rule(
              new String[] {"t 400", "t 600", "t 1000"},
              "\\b(?:nvidia |quadro )?t (400|600|1000)\\b",
              (m, t) -> "t" + m.group(1)),
          rule(new String[] {"gh 200"}, "\\bgh 200\\b", (m, t) -> "gh200"),
          rule(new String[] {"h 200"}, "\\bh 200 nvl\\b", (m, t) -> "h200-nvl"),
          rule(new String[] {"h 200"}, "\\bh 200\\b", (m, t) -> "h200"),
          rule(new String[] {"h 100"}, "\\bh 100\\b", (m, t) -> h100(t.substring(m.end()))),
          rule(new String[] {"h 20"}, "\\b(?:nvidia )?h 20\\b", (m, t) -> "h20"),
          rule(
              new String[] {"b 100", "b 200", "b 300"},
              "\\bb (100|200|300)\\b",
              (m, t) -> "b" + m.group(1)),
          rule(new String[] {"a 100"}, "\\ba 100\\b", (m, t) -> "a100"),
          rule(new String[] {"a 800"}, "\\ba 800\\b", (m, t) -> "a800"),
          rule(new String[] {"v 100"}, "\\b(?:tesla )?v 100 s\\b", (m, t) -> "v100s"),
          rule(new String[] {"v 100"}, "\\b(?:tesla )?v 100\\b", (m, t) -> "v100"),
          rule(new String[] {"p 100"}, "\\b(?:tesla )?p 100\\b", (m, t) -> "p100"),
          // Tesla K/M/P: with "Tesla" or "NVIDIA" before them, or the few whose name is never
          // anything else.
          rule(
              new String[] {"tesla ", "nvidia k ", "nvidia m ", "nvidia p "},
              "\\b(?:tesla|nvidia) (?:tesla )?(k 10|k 20 x|k 20|k 40|k 80|m 4|m 10|m 40|m 60|p 4|p 40)\\b",
              (m, t) -> m.group(1).replace(" ", "")),
          rule(
              new String[] {"k 80", "k 40", "m 40", "m 60", "p 40"},
              "\\b(k 80|k 40|m 40|m 60|p 40)\\b",
              (m, t) -> m.group(1).replace(" ", "")),
          rule(new String[] {"l 40"}, "\\bl 40 s\\b", (m, t) -> "l40s"),
          rule(new String[] {"l 40"}, "\\bl 40\\b", (m, t) -> "l40"),
          rule(new String[] {"l 20"}, "\\b(?:nvidia |tesla )?l 20\\b", (m, t) -> "l20"),
          rule(new String[] {"l 4"}, "\\b(?:nvidia |tesla )?l 4\\b", (m, t) -> "l4"),
          rule(
              new String[] {"a 1", "a 3", "a 4"},
              "\\b(?:nvidia |tesla )?a (10|16|30|40)\\b(?: g\\b)?",
              (m, t) -> "a" + m.group(1)),
          rule(new String[] {"a 2"}, "\\b(?:nvidia|tesla) a 2\\b", (m, t) -> "a2"),
          rule(new String[] {"t 4"}, "\\b(?:nvidia |tesla )?t 4\\b", (m, t) -> "t4"),
          rule(
              new String[] {"titan"}, "\\btitan(?: (rtx|xp|x|v|z|black))?\\b", ModelMatcher::titan),
          // AMD Instinct and Radeon PRO.
          rule(
              new String[] {"mi "},
              "\\bmi (25|50|60|100|210|250|300|325|350|355)(?: (x|a))?\\b",
              (m, t) -> "mi" + m.group(1) + (m.group(2) == null ? "" : m.group(2))),
          rule(
              new String[] {"wx "},
              "\\b(?:radeon )?(?:pro )?wx (2100|3100|3200|4100|5100|7100|8200|9100)\\b",
              (m, t) -> "radeon-pro-wx-" + m.group(1)),
          rule(
              new String[] {"w 5", "w 6", "w 7"},
              "\\b(?:radeon )?(?:pro )?w (5500|5700|6400|6600|6800|7500|7600|7700|7800|7900)\\b",
              (m, t) -> "radeon-pro-w" + m.group(1)),
          rule(
              new String[] {"r 9700"}, "\\b(?:ai pro )?r 9700\\b", (m, t) -> "radeon-ai-pro-r9700"),
          rule(new String[] {"v 620"}, "\\b(?:radeon |pro )v 620\\b", (m, t) -> "radeon-pro-v620"),
          rule(
              new String[] {"vii"},
              "\\bradeon (pro )?vii\\b",
              (m, t) -> m.group(1) == null ? "radeon-vii" : "radeon-pro-vii"),
          rule(new String[] {"vega"}, "\\bvega frontier\\b", (m, t) -> "radeon-vega-frontier"),
          rule(
              new String[] {"vega"},
              "\\b(?:rx |radeon )?vega (56|64)\\b",
              (m, t) -> "rx-vega-" + m.group(1)),
          // Older Radeons: "hd 7970 ghz", "r 9 290 x", "r 9 295 x 2", "r 9 fury x".
          rule(
              new String[] {"hd 7"}, "\\bhd (7[7-9][3-9]0)(?: (ghz|xt))?\\b", ModelMatcher::hd7000),
          rule(
              new String[] {"r 5 ", "r 7 ", "r 9 "},
              "\\br (5|7|9) (2[3-9]\\d|3[5-9]\\d)(?: (x 2\\b(?! g)|x))?\\b",
              (m, t) ->
                  "r"
                      + m.group(1)
                      + "-"
                      + m.group(2)
                      + (m.group(3) == null ? "" : m.group(3).replace(" ", ""))),
          rule(
              new String[] {"fury", "nano"},
              "\\b(?:r 9 |radeon (?:r 9 )?)(fury|nano)(?: (x))?\\b",
              (m, t) ->
                  "r9-"
                      + m.group(1)
                      + (m.group(2) == null || m.group(1).equals("nano") ? "" : "-x")),
          // AMD Radeon RX: "rx 580 2048 sp", "rx 7900 xtx", "radeon 6800 xt".
          rule(
              new String[] {"rx ", "radeon"},
              "\\b(?:rx|radeon(?: rx)?) (4[5-8]0|5[5-9]0)\\b( 2048 sp)?",
              (m, t) -> "rx-" + m.group(1) + (m.group(2) == null ? "" : "-2048sp")),
          rule(
              new String[] {"rx ", "radeon"},
              "\\b(?:rx|radeon(?: rx)?) (\\d{4}) ?(xtx|xt|gre)?\\b",
              (m, t) -> "rx-" + m.group(1) + (m.group(2) == null ? "" : "-" + m.group(2))),
          // Intel: "arc pro a 60", "arc a 770", a bare "a 770"/"b 580" next to intel, the
          // data-centre Flex and Max.
          rule(
              new String[] {"arc ", "intel "},
              "\\b(?:arc|intel) (a|b) (310|380|580|750|770|570)\\b",
              (m, t) -> "arc-" + m.group(1) + m.group(2)),
          rule(
              new String[] {"flex 1", "max 1"},
              "\\b(flex|max) (140|170|1100|1550)\\b",
              (m, t) -> m.group(1) + "-" + m.group(2)),
          // GeForce before the GTX 10 series, which always carries its prefix: "gtx 750 ti", "gt
          // 730", "gtx 650 ti boost".
          rule(
              OLDER_GEFORCE,
              "\\b(?:gtx|gt|geforce) (6[1-9]0|7[1-8]0|9[5-8]0)(?: (ti))?(?: (boost))?\\b",
              ModelMatcher::olderGeForce),
          rule(
              new String[] {"1010", "1030"},
              "\\b(?:gt |geforce (?:gt )?)?10(1|3)0\\b(?! p\\b)",
              (m, t) ->
                  "gt-10"
                      + m.group(1)
                      + "0"
                      + (m.group(1).equals("3") && t.contains(" ddr 4") ? "-ddr4" : "")),
          // GeForce: "rtx 4070 ti super", "gtx 1660 super", "3090 ti" (the prefix is often left
          // out), "rtx 4090 d".
          // A resolution ("1080p") is not a card.
          rule(
              new String[0],
              "\\b(?:geforce |nvidia )?(?:rtx |gtx )?(10[5-8]0|16[356]0|20[6-8]0|30[5-9]0|40[6-9]0|50[5-9]0)"
                  + "(?: (ti|super))?(?: (super))?(?: (d)\\b(?! \\d\\b))?\\b(?! p\\b)",
              (m, t) -> geforce(m)));

  private ModelMatcher() {}

  private static Rule rule(String[] hints, String regex, BiFunction<Matcher, String, String> slug) {
    return new Rule(hints, Pattern.compile(regex), slug);
  }

  /**
   * Every model mention in the title, in the order they appear. Where two rules read the same
   * words, the earlier (more specific) rule's mention stands: "rtx 6000 ada" is not also a Quadro
   * RTX 6000.
   */
  static List<Hit> findAll(String cleaned) {
    List<Hit> hits = new ArrayList<>(2);
    for (Rule rule : RULES) {
      int from = rule.searchFrom(cleaned);
      if (from < 0) {
        continue;
      }
      // Transparent bounds: the word boundaries at the search's start still see the text before it.
      Matcher m =
          rule.pattern().matcher(cleaned).useTransparentBounds(true).region(from, cleaned.length());
      while (m.find()) {
        int start = m.start();
        int end = m.end();
        if (hits.stream().noneMatch(h -> h.start() < end && start < h.end())) {
          hits.add(new Hit(rule.slug().apply(m, cleaned), start, end, m.group()));
        }
      }
    }
    hits.sort(Comparator.comparingInt(Hit::start));
    return hits;
  }

  private static String quadroRtx(Matcher m, String cleaned) {
    String number = m.group(2);
    if (m.group(1) == null && !number.equals("8000")) {
      Matcher memory = ADA_MEMORY.matcher(cleaned);
      String ada = number.equals("4000") ? "20" : number.equals("5000") ? "32" : "48";
      while (memory.find()) {
        if (memory.group(1).equals(ada)) {
          return "rtx-" + number + "-ada";
        }
      }
    }
    return "quadro-rtx-" + number;
  }

  private static String titan(Matcher m, String cleaned) {
    String kind = m.group(1);
    if (kind == null) {
      return "gtx-titan";
    }
    return switch (kind) {
      case "rtx" -> "titan-rtx";
      case "xp" -> "titan-xp";
      // The Pascal TITAN X is named like the Maxwell one; its GDDR5X tells them apart.
      case "x" ->
          cleaned.contains("pascal") || cleaned.contains("gddr 5 x")
              ? "titan-x-pascal"
              : "gtx-titan-x";
      case "v" ->
          cleaned.contains(" ceo ") || cleaned.contains(" 32 gb") ? "titan-v-ceo" : "titan-v";
      default -> "gtx-titan-" + kind;
    };
  }

  private static String hd7000(Matcher m, String cleaned) {
    String number = m.group(1);
    String suffix = m.group(2);
    if ("ghz".equals(suffix) && number.equals("7970")) {
      return "hd-7970-ghz";
    }
    if ("xt".equals(suffix) && number.equals("7870")) {
      return "hd-7870-xt";
    }
    return "hd-" + number;
  }

  private static String olderGeForce(Matcher m, String cleaned) {
    String number = m.group(1);
    int n = Integer.parseInt(number);
    // GT below 650 and 750; GTX from there on.
    String series = (n < 650 || (n >= 710 && n < 750)) ? "gt-" : "gtx-";
    StringBuilder slug = new StringBuilder(series).append(number);
    if (m.group(2) != null) {
      slug.append("-ti");
    }
    if (m.group(3) != null) {
      slug.append("-boost");
    }
    return slug.toString();
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
    // "D" is the China edition of the 4090 and 5090 only; elsewhere it is a memory type ("2060
    // D6").
    if (m.group(4) != null && (number.equals("4090") || number.equals("5090"))) {
      slug.append("-d");
    }
    return slug.toString();
  }
}
