package dev.gputracker.worker.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.catalog.GpuCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TitleNormalizerTest {
  private static final GpuCatalog CATALOG = GpuCatalog.load();
  private final TitleNormalizer normalizer = new TitleNormalizer(CATALOG);

  record Case(String title, String expected) {}

  private static List<Case> table() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = TitleNormalizerTest.class.getResourceAsStream("/normalize/titles.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t");
        cases.add(new Case(parts[0], parts[1].trim()));
      }
    }
    return cases;
  }

  private String verdict(String title) {
    Normalization n = normalizer.normalize(title);
    return n.accepted() ? n.slug() : "-" + n.reason().dbValue();
  }

  @Test
  @DisplayName("every title of the table (real marketplace titles and cloud names) gets its expected verdict")
  void table_of_real_titles() throws IOException {
    List<Case> cases = table();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
    List<String> mismatches = new ArrayList<>();
    for (Case c : cases) {
      String got = verdict(c.title());
      if (!got.equals(c.expected())) {
        mismatches.add("expected " + c.expected() + " got " + got + ": " + c.title());
      }
    }
    assertThat(mismatches).as(String.join("\n", mismatches)).isEmpty();
  }

  @Test
  @DisplayName("every slug the table expects is a catalog slug")
  void expected_slugs_exist() throws IOException {
    for (Case c : table()) {
      if (!c.expected().startsWith("-")) {
        assertThat(CATALOG.contains(c.expected())).as(c.expected()).isTrue();
      }
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName("the issue's examples")
  @CsvSource(delimiter = '|', value = {
      "ASUS TUF Gaming GeForce RTX 4090 OC 24GB GDDR6X | rtx-4090",
      "RTX4090 | rtx-4090",
      "3090 Ti | rtx-3090-ti",
      "NVIDIA A100 80GB PCIe | a100-80gb",
      "Tesla V100-SXM2-16GB | v100-16gb",
      "RTX 4070 Ti Super | rtx-4070-ti-super",
      "RTX 3090 box only | -suspicious",
      "water block for 4090 | -not_a_gpu",
      "gaming PC with RTX 4070 | -not_a_gpu",
      "MSI Katana 15 laptop RTX 4060 | -not_a_gpu",
      "RTX 3060 | rtx-3060-12gb",
      "RTX 3060 8GB | rtx-3060-8gb",
      "A100 40GB SXM4 | a100-40gb",
      "Radeon RX 7900 XTX | rx-7900-xtx",
      "Radeon RX 7900 XT | rx-7900-xt",
      "Arc A770 | arc-a770",
      "MI300X | mi300x",
  })
  void examples(String title, String expected) {
    assertThat(verdict(title)).isEqualTo(expected);
  }

  @Test
  @DisplayName("a rejection says why, and blank titles are rejected rather than failing")
  void reasons() {
    Normalization n = normalizer.normalize("EKWB water block for RTX 4090");
    assertThat(n.reason()).isEqualTo(RejectReason.NOT_A_GPU);
    assertThat(n.detail()).isEqualTo("water block");
    assertThat(normalizer.normalize("RTX 3060 / 3060 Ti / 3070").detail()).startsWith("names several models");
    assertThat(normalizer.normalize("  ").reason()).isEqualTo(RejectReason.NOT_A_GPU);
    assertThat(normalizer.normalize(null).reason()).isEqualTo(RejectReason.NOT_A_GPU);
  }

  @Test
  @DisplayName("100,000 long, hostile titles complete (no pathological backtracking)")
  void noPathologicalPatterns() {
    String[] nasty = {
        "RTX ".repeat(500), "3".repeat(5000), "a 100 ".repeat(300) + "gb", "-".repeat(3000) + "rtx 4090",
        "for ".repeat(800) + "RTX 3080", "x".repeat(10_000), "12gb ".repeat(400), "rx 7900 xt ".repeat(200)};
    int accepted = 0;
    for (int i = 0; i < 100_000; i++) {
      String title = i % 100 == 0 ? nasty[(i / 100) % nasty.length] : "MSI GeForce RTX 40" + (i % 10) + "0 Ti " + i;
      if (normalizer.normalize(title).accepted()) {
        accepted++;
      }
    }
    assertThat(accepted).isPositive();
  }
}
