package dev.gputracker.worker.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.domain.Condition;
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

  /** A title, its expected verdict, and whether it was copied from a saved real page. */
  record Case(String title, String expected, boolean real) {}

  private static List<Case> table() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = TitleNormalizerTest.class.getResourceAsStream("/normalize/titles.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t");
        cases.add(
            new Case(
                parts[0], parts[1].trim(), parts.length > 2 && parts[2].trim().equals("real")));
      }
    }
    return cases;
  }

  private String verdict(String title) {
    Normalization n = normalizer.normalize(title);
    return n.accepted() ? n.slug() : "-" + n.reason().dbValue();
  }

  @Test
  @DisplayName(
      "every title of the table (real marketplace titles and cloud names) gets its expected verdict")
  void table_of_real_titles() throws IOException {
    List<Case> cases = table();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(1_130);
    assertThat(cases.stream().filter(Case::real).count())
        .as("titles from saved real pages")
        .isGreaterThanOrEqualTo(300);
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
  @CsvSource(
      delimiter = '|',
      value = {
        "ASUS TUF Gaming GeForce RTX 4090 OC 24GB GDDR6X | rtx-4090",
        "RTX4090 | rtx-4090",
        "3090 Ti | rtx-3090-ti",
        "NVIDIA A100 80GB PCIe | a100-80gb",
        "Tesla V100-SXM2-16GB | v100-16gb",
        "RTX 4070 Ti Super | rtx-4070-ti-super",
        "RTX 3090 box only | -suspicious",
        "water block for 4090 | -not_a_gpu",
        "gaming PC with RTX 4070 | -not_a_gpu",
        "MSI Katana 15 laptop RTX 4060 | -laptop",
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
    assertThat(normalizer.normalize("RTX 3060 / 3060 Ti / 3070").detail())
        .startsWith("names several models");
    assertThat(normalizer.normalize("  ").reason()).isEqualTo(RejectReason.NOT_A_GPU);
    assertThat(normalizer.normalize(null).reason()).isEqualTo(RejectReason.NOT_A_GPU);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName(
      "a title is read as a buyer reads it: the leading mention is the card, a list is a pick-your-model offer")
  @CsvSource(
      delimiter = '|',
      value = {
        "Sapphire Pulse RX 6600 8GB, faster than GTX 1660 SUPER | rx-6600",
        "MSI RTX 3060 Ti Ventus 2X 8GB - RTX 3070 performance | rtx-3060-ti",
        "Gigabyte RTX 4070 Ti SUPER Eagle 16GB, upgrade from RTX 3080 | rtx-4070-ti-super",
        "RTX 3060 / 3060 Ti / 3070 | -unknown_model",
        "GTX 1660 Super or GTX 1660 Ti 6GB | -unknown_model",
        "GeForce RTX 3070Ti Ultra W OC 8G GeForce RTX 3070 Ultra W OC 8GB | -unknown_model",
        "Arctic Accelero cooler for GTX 1080 1070 1060 | -not_a_gpu",
        "Mining rig 6x RTX 3070 | -not_a_gpu",
        "Koparka 8x RX 580 8GB | -not_a_gpu",
      })
  void buyersReading(String title, String expected) {
    assertThat(verdict(title)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName(
      "Bulgarian, Polish, German and Czech titles, and Cyrillic letters typed inside model names")
  @CsvSource(
      delimiter = '|',
      value = {
        "Видеокарта RТХ 3080 10GB употребявана | rtx-3080",
        "Видео карта GТХ 1060 6GB | gtx-1060-6gb",
        "Karta graficzna używana Radeon RX 580 8GB | rx-580-8gb",
        "Grafikkarte gebraucht GeForce GTX 970 4GB | gtx-970",
        "Grafická karta použitá Sapphire RX 570 4GB | rx-570-4gb",
        "Лаптоп Lenovo Legion с RTX 3060 | -laptop",
        "Notebook MSI Katana GF66 RTX 3050 Ti | -laptop",
        "RTX 4070 Laptop GPU 8GB | -laptop",
        "GeForce RTX 2080 Max-Q | -laptop",
        "RTX 3060 Mobile 6GB | -laptop",
      })
  void languages(String title, String expected) {
    assertThat(verdict(title)).isEqualTo(expected);
  }

  @Test
  @DisplayName(
      "the memory a title states chooses the variant, is reported when the model has it, and a size the model never had is suspicious")
  void memoryFromTitle() {
    assertThat(normalizer.normalize("ASUS Dual RTX 4090 OC 24GB").vramGb())
        .isEqualByComparingTo("24");
    assertThat(normalizer.normalize("MSI RTX 4090 Suprim").vramGb()).isNull();
    assertThat(verdict("Sapphire Nitro+ RX 580 4GB")).isEqualTo("rx-580-4gb");
    assertThat(verdict("Sapphire Nitro+ RX 580")).isEqualTo("rx-580-8gb");
    assertThat(verdict("GT 710 2048MB DDR3")).isEqualTo("gt-710");
    assertThat(verdict("GT 710 1024MB DDR3")).isEqualTo("gt-710-1gb");
    Normalization odd = normalizer.normalize("RTX 3070 16GB GDDR6 brand new");
    assertThat(odd.reason()).isEqualTo(RejectReason.SUSPICIOUS);
    assertThat(odd.detail()).isEqualTo("states 16 GB, but the GeForce RTX 3070 shipped with 8 GB");
    assertThat(normalizer.normalize("RX 580 16GB").detail())
        .isEqualTo("states 16 GB, but the Radeon RX 580 shipped with 8 or 4 GB");
    // Cloud offers state usable or host memory: the model stands, no memory is reported.
    assertThat(normalizer.normalize("1x L40S 45GB").slug()).isEqualTo("l40s");
    assertThat(normalizer.normalize("1x L40S 45GB").vramGb()).isNull();
    assertThat(normalizer.normalize("Gaming PC Ryzen 5 16GB RAM RTX 3060").reason())
        .isEqualTo(RejectReason.NOT_A_GPU);
  }

  @Test
  @DisplayName("the condition a title states in any of the marketplaces' languages is reported")
  void conditionFromTitle() {
    assertThat(normalizer.normalize("RTX 3060 12GB używana").condition()).isEqualTo(Condition.USED);
    assertThat(normalizer.normalize("Видеокарта RX 6600 нова").condition())
        .isEqualTo(Condition.NEW);
    assertThat(normalizer.normalize("RTX 2070 Super refurbished").condition())
        .isEqualTo(Condition.REFURBISHED);
    assertThat(normalizer.normalize("RTX 2070 Super").condition()).isNull();
  }

  @Test
  @DisplayName("an unknown card's detail names the words the normaliser could not place")
  void unplacedWords() {
    assertThat(normalizer.normalize("NVIDIA CMP 170HX 8GB mining card").detail())
        .isEqualTo("no catalog model for \"cmp 170 hx\"");
    assertThat(
            CatalogGaps.wordsOf(normalizer.normalize("Graphics card 8GB GDDR5 256 bit").detail()))
        .contains(CatalogGaps.NO_NUMBER);
    assertThat(TitleCleaner.clean("RТХ3080")).isEqualTo(" rtx 3080 ");
    assertThat(TitleCleaner.clean("видеокарта")).isEqualTo(" видеокарта ");
  }

  @Test
  @DisplayName("100,000 long, hostile titles complete (no pathological backtracking)")
  void noPathologicalPatterns() {
    String[] nasty = {
      "RTX ".repeat(500),
      "3".repeat(5000),
      "a 100 ".repeat(300) + "gb",
      "-".repeat(3000) + "rtx 4090",
      "for ".repeat(800) + "RTX 3080",
      "x".repeat(10_000),
      "12gb ".repeat(400),
      "rx 7900 xt ".repeat(200)
    };
    int accepted = 0;
    for (int i = 0; i < 100_000; i++) {
      String title =
          i % 100 == 0
              ? nasty[(i / 100) % nasty.length]
              : "MSI GeForce RTX 40" + (i % 10) + "0 Ti " + i;
      if (normalizer.normalize(title).accepted()) {
        accepted++;
      }
    }
    assertThat(accepted).isPositive();
  }
}
