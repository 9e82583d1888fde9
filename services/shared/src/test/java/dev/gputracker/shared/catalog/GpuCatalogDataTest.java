package dev.gputracker.shared.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.domain.Names;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Checks every row of the shipped catalog against what a GPU of its kind and generation can be: a
 * guard against transcription slips in a file of hundreds of hand-entered rows. Each check collects
 * every offending row, so one run names them all.
 */
class GpuCatalogDataTest {
  private static final List<GpuModel> MODELS = GpuCatalog.load().models();

  private static final Pattern SLUG = Names.GPU_SLUG;
  private static final Set<String> VENDORS = Set.of("nvidia", "amd", "intel");
  private static final Set<String> SEGMENTS = Set.of("consumer", "workstation", "datacenter");

  /**
   * The most memory bandwidth (GB/s) one board has reached with each memory type (dual-GPU boards
   * summed).
   */
  private static final Map<String, Integer> MAX_BANDWIDTH =
      Map.ofEntries(
          Map.entry("DDR3", 30),
          Map.entry("DDR4", 30),
          Map.entry("GDDR5", 700),
          Map.entry("GDDR5X", 600),
          Map.entry("GDDR6", 1000),
          Map.entry("GDDR6X", 1100),
          Map.entry("GDDR7", 1800),
          Map.entry("HBM", 520),
          Map.entry("HBM2", 1600),
          Map.entry("HBM2e", 3300),
          Map.entry("HBM3", 5300),
          Map.entry("HBM3e", 8000));

  /** A size in a name or slug: "RX 580 8GB", "rx-580-8gb". */
  private static final Pattern NAMED_SIZE = Pattern.compile("(\\d+)(?:GB|gb)\\b");

  /**
   * The fastest FP32 (TFLOPS) a board released in a year could have: each generation's top part
   * with a margin, dual-GPU boards included. A figure above it is a slip of a decimal point or a
   * sparsity figure in the wrong column.
   */
  private static double maxFp32(int year) {
    if (year <= 2013) {
      return 9;
    }
    if (year <= 2016) {
      return 13;
    }
    if (year <= 2019) {
      return 17;
    }
    if (year <= 2021) {
      return 50;
    }
    return 180;
  }

  @Test
  @DisplayName(
      "every slug is lower-case words and digits joined by hyphens, with a known vendor and segment")
  void slugsVendorsSegments() {
    List<String> bad = new ArrayList<>();
    for (GpuModel m : MODELS) {
      if (!SLUG.matcher(m.slug()).matches()
          || !VENDORS.contains(m.vendor())
          || !SEGMENTS.contains(m.segment())
          || m.family().isBlank()
          || m.name().isBlank()) {
        bad.add(m.slug() + " " + m.vendor() + " " + m.segment());
      }
    }
    assertThat(bad).isEmpty();
    assertThat(MODELS).hasSizeBetween(350, 450);
  }

  @Test
  @DisplayName("every model has memory, and a size its name or slug states is its memory")
  void memory() {
    List<String> bad = new ArrayList<>();
    for (GpuModel m : MODELS) {
      if (m.vramGb() == null
          || m.vramGb().signum() <= 0
          || m.vramGb().compareTo(new BigDecimal(300)) > 0) {
        bad.add(m.slug() + " vram " + m.vramGb());
        continue;
      }
      for (String text : List.of(m.name(), m.slug())) {
        Matcher size = NAMED_SIZE.matcher(text);
        if (size.find() && new BigDecimal(size.group(1)).compareTo(m.vramGb()) != 0) {
          bad.add(m.slug() + " says " + size.group() + " but has " + m.vramGb() + " GB");
        }
      }
      if (m.memoryType() != null && !MAX_BANDWIDTH.containsKey(m.memoryType())) {
        bad.add(m.slug() + " memory type " + m.memoryType());
      }
    }
    assertThat(bad).isEmpty();
  }

  @Test
  @DisplayName("figures lie within what the part's memory type and generation allow")
  void plausibleFigures() {
    List<String> bad = new ArrayList<>();
    for (GpuModel m : MODELS) {
      Integer year = m.releaseYear();
      if (year == null || year < 2012 || year > 2026) {
        bad.add(m.slug() + " year " + year);
        continue;
      }
      BigDecimal bw = m.memoryBandwidthGbs();
      if (bw != null
          && (bw.doubleValue() < 5
              || (m.memoryType() != null
                  && bw.doubleValue() > MAX_BANDWIDTH.getOrDefault(m.memoryType(), 0)))) {
        bad.add(m.slug() + " bandwidth " + bw + " for " + m.memoryType());
      }
      BigDecimal fp32 = m.fp32Tflops();
      if (fp32 != null && (fp32.doubleValue() < 0.1 || fp32.doubleValue() > maxFp32(year))) {
        bad.add(m.slug() + " fp32 " + fp32 + " in " + year);
      }
      BigDecimal fp16 = m.fp16Tflops();
      if (fp16 != null && fp32 != null && fp16.compareTo(fp32) < 0) {
        bad.add(m.slug() + " fp16 " + fp16 + " below fp32 " + fp32);
      }
      if (m.tdpW() != null && (m.tdpW() < 10 || m.tdpW() > 1500)) {
        bad.add(m.slug() + " tdp " + m.tdpW());
      }
      if (m.perfIndex() != null
          && !m.segment().equals("consumer")
          && !m.segment().equals("workstation")) {
        bad.add(m.slug() + " has a gaming index but is a " + m.segment() + " part");
      }
    }
    assertThat(bad).isEmpty();
  }

  /**
   * The models whose FP32 figure stays blank, each for a reason the catalog's header gives: one
   * name over different chips (GT 620/630/640/730), or no vendor figure checked yet. A new blank is
   * added here knowingly, never by a slip.
   */
  private static final Set<String> FP32_LEFT_BLANK =
      Set.of(
          "gt-620",
          "gt-630",
          "gt-640",
          "gt-730",
          "gt-730-1gb",
          "gt-730-4gb",
          "rx-6750-gre-10gb",
          "rx-6750-gre-12gb",
          "rx-7650-gre",
          "rx-9070-gre",
          "arc-pro-a40",
          "arc-pro-a50",
          "arc-pro-a60",
          "rtx-pro-2000",
          "m10");

  @Test
  @DisplayName("an FP32 figure is blank only for the models the catalog's header says why")
  void fp32BlankOnlyWhereExplained() {
    List<String> blank =
        MODELS.stream().filter(m -> m.fp32Tflops() == null).map(GpuModel::slug).sorted().toList();
    assertThat(blank).containsExactlyInAnyOrderElementsOf(FP32_LEFT_BLANK);
  }

  @Test
  @DisplayName("no two models share a name, or a name without its vendor's brand words")
  void noDuplicateNamesOrAliases() {
    Map<String, String> seen = new HashMap<>();
    List<String> bad = new ArrayList<>();
    for (GpuModel m : MODELS) {
      for (String key : List.of(m.name().toLowerCase(Locale.ROOT), alias(m.name()))) {
        String other = seen.putIfAbsent(key, m.slug());
        if (other != null && !other.equals(m.slug())) {
          bad.add(m.slug() + " and " + other + " are both '" + key + "'");
        }
      }
    }
    assertThat(bad).isEmpty();
  }

  @Test
  @DisplayName(
      "memory variants of one model differ in memory, and a faster sibling never has less of it")
  void memoryVariants() {
    Map<String, List<GpuModel>> byBase = new HashMap<>();
    Pattern variant = Pattern.compile("(.+)-(\\d+)gb");
    for (GpuModel m : MODELS) {
      Matcher v = variant.matcher(m.slug());
      byBase.computeIfAbsent(v.matches() ? v.group(1) : m.slug(), k -> new ArrayList<>()).add(m);
    }
    List<String> bad = new ArrayList<>();
    byBase.forEach(
        (base, models) -> {
          long sizes = models.stream().map(m -> m.vramGb().stripTrailingZeros()).distinct().count();
          if (sizes != models.size()) {
            bad.add(base + ": two variants with the same memory");
          }
          if (models.stream().map(GpuModel::vendor).distinct().count() > 1) {
            bad.add(base + ": variants of different vendors");
          }
        });
    assertThat(bad).isEmpty();
    assertThat(byBase.get("rx-580"))
        .extracting(GpuModel::slug)
        .containsExactly("rx-580-8gb", "rx-580-4gb");
  }

  /**
   * A name as a seller might write it without brand words: "GeForce GTX 1080 Ti" → "gtx 1080 ti".
   */
  private static String alias(String name) {
    return name.toLowerCase(Locale.ROOT)
        .replaceAll("\\b(geforce|radeon|quadro|tesla|nvidia|amd|intel|instinct)\\b", "")
        .replaceAll("\\s+", " ")
        .trim();
  }
}
