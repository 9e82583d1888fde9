package dev.gputracker.worker.scrape.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.domain.PriceUnit;
import dev.gputracker.shared.testing.Fixtures;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.PageParseException;
import dev.gputracker.worker.scrape.SourceAdapter;
import dev.gputracker.worker.scrape.adapters.runpod.RunPodAdapter;
import dev.gputracker.worker.scrape.adapters.vastai.VastAiAdapter;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rental adapters on the saved Vast.ai and RunPod answers (../shared/fixtures), and on broken
 * ones.
 */
class RentalAdaptersTest {
  private static final SourceConfig SOURCE =
      new SourceConfig(
          "rentals",
          "vastai",
          URI.create("https://rentals.test/"),
          true,
          1,
          SourceConfig.FetchSettings.defaults(),
          new JsonObject());

  private static List<ScrapedListing> parse(SourceAdapter adapter, String fixture)
      throws Exception {
    byte[] body = Files.readAllBytes(Fixtures.require(fixture));
    return adapter
        .parse(
            new FetchedPage(
                URI.create("https://rentals.test/" + fixture), 200, "application/json", body),
            SOURCE)
        .listings();
  }

  private static FetchedPage raw(String text) {
    return new FetchedPage(
        URI.create("https://rentals.test/x"),
        200,
        "application/json",
        text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName(
      "Vast.ai full search: 33 offers, whole-offer hourly price, GPU count, VRAM from MB, location, host")
  void vastFull() throws Exception {
    List<ScrapedListing> offers = parse(new VastAiAdapter(), "vastai/vast_offers.json");
    assertThat(offers).hasSize(33);
    ScrapedListing first = offers.get(0);
    assertThat(first.externalId()).isEqualTo("39185351");
    assertThat(first.title()).isEqualTo("1x A100 SXM4 40GB");
    assertThat(first.price()).isEqualByComparingTo("0.6952");
    assertThat(first.currency()).isEqualTo("USD");
    assertThat(first.priceUnit()).isEqualTo(PriceUnit.HOUR);
    assertThat(first.gpuCount()).isEqualTo(1);
    assertThat(first.vramGb()).isEqualByComparingTo("39.0");
    assertThat(first.location()).isEqualTo("Alberta, CA");
    assertThat(first.seller()).isEqualTo("host 150140");
    ScrapedListing eight =
        offers.stream().filter(o -> o.externalId().equals("26307931")).findFirst().orElseThrow();
    assertThat(eight.gpuCount()).isEqualTo(8);
    assertThat(eight.title()).isEqualTo("8x A100 SXM4 80GB");
    assertThat(eight.price()).isEqualByComparingTo("16.7599");
    assertThat(new VastAiAdapter().kind()).isEqualTo(ListingKind.RENTAL);
  }

  @Test
  @DisplayName("Vast.ai cut-down search: 138 offers with stable derived ids, duplicates kept apart")
  void vastCutDown() throws Exception {
    List<ScrapedListing> offers = parse(new VastAiAdapter(), "vastai/vast.json");
    assertThat(offers).hasSize(138);
    assertThat(offers.stream().map(ScrapedListing::externalId).distinct()).hasSize(138);
    assertThat(offers.get(0).externalId()).isEqualTo("B200-1-183359-1");
    assertThat(offers.get(1).externalId()).isEqualTo("B200-1-183359-2");
    assertThat(offers.get(0).title()).isEqualTo("1x B200 180GB");
    assertThat(offers.get(0).price()).isEqualByComparingTo("6.2521");
    assertThat(parse(new VastAiAdapter(), "vastai/vast.json"))
        .extracting(ScrapedListing::externalId)
        .containsExactlyElementsOf(offers.stream().map(ScrapedListing::externalId).toList());
  }

  @Test
  @DisplayName(
      "Vast.ai: offers not rentable or without a model or price are left out; junk fails with a reason")
  void vastEdgeCases() throws Exception {
    VastAiAdapter vast = new VastAiAdapter();
    List<ScrapedListing> offers =
        vast.parse(
                raw(
                    "{\"offers\":[{\"id\":1,\"gpu_name\":\"RTX 4090\",\"num_gpus\":2,"
                        + "\"gpu_ram\":24564,\"dph_total\":0.8,\"rentable\":true},{\"id\":2,\"gpu_name\":\"RTX 4090\",\"dph_total\":0.4,"
                        + "\"rentable\":false},{\"id\":3,\"dph_total\":0.4},{\"id\":4,\"gpu_name\":\"RTX 3090\"},\"junk\"]}"),
                SOURCE)
            .listings();
    assertThat(offers).extracting(ScrapedListing::externalId).containsExactly("1");
    assertThat(offers.get(0).title()).isEqualTo("2x RTX 4090 24GB");
    assertThatThrownBy(() -> vast.parse(raw("<html>captcha</html>"), SOURCE))
        .isInstanceOf(PageParseException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> vast.parse(raw("{\"error\":\"rate limited\"}"), SOURCE))
        .isInstanceOf(PageParseException.class)
        .hasMessageContaining("no offers array");
  }

  @Test
  @DisplayName(
      "RunPod: secure and community prices become two offers, 0 means not offered, 'unknown' is skipped")
  void runpod() throws Exception {
    List<ScrapedListing> offers = parse(new RunPodAdapter(), "runpod/runpod.json");
    assertThat(offers).hasSize(88);
    assertThat(offers).noneMatch(o -> o.externalId().startsWith("unknown"));
    ScrapedListing secure =
        offers.stream()
            .filter(o -> o.externalId().equals("NVIDIA H100 80GB HBM3:secure"))
            .findFirst()
            .orElseThrow();
    assertThat(secure.price()).isEqualByComparingTo(new BigDecimal("3.49"));
    assertThat(secure.priceUnit()).isEqualTo(PriceUnit.HOUR);
    assertThat(secure.vramGb()).isEqualByComparingTo("80");
    assertThat(secure.title()).isEqualTo("NVIDIA H100 80GB HBM3 · secure cloud");
    assertThat(offers)
        .extracting(ScrapedListing::externalId)
        .contains("NVIDIA GeForce RTX 4090:community")
        .doesNotContain("NVIDIA A100-SXM4-40GB:secure");
  }

  @Test
  @DisplayName("RunPod: a GraphQL error or junk fails with a reason")
  void runpodErrors() {
    RunPodAdapter runpod = new RunPodAdapter();
    assertThatThrownBy(
            () -> runpod.parse(raw("{\"errors\":[{\"message\":\"unauthorized\"}]}"), SOURCE))
        .isInstanceOf(PageParseException.class)
        .hasMessageContaining("unauthorized");
    assertThatThrownBy(() -> runpod.parse(raw("not json"), SOURCE))
        .isInstanceOf(PageParseException.class);
  }
}
