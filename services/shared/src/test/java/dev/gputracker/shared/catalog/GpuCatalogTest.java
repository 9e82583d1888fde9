package dev.gputracker.shared.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GpuCatalogTest {
  private static final String MODELS =
      """
      slug,vendor,family,name,segment,vram_gb,memory_type,memory_bandwidth_gbs,fp32_tflops,fp16_tflops,tdp_w,release_year
      rtx-4090,nvidia,GeForce RTX 40,GeForce RTX 4090,consumer,24,GDDR6X,1008,82.58,165.2,450,2022
      h100-sxm,nvidia,Hopper,H100 SXM,datacenter,80,HBM3,3350,66.9,989.4,700,2023
      """;

  @Test
  @DisplayName(
      "the shipped catalog carries the benchmark hierarchy's index, names its source and date, and leaves untested models without one")
  void shippedPerformanceIndex() {
    GpuCatalog catalog = GpuCatalog.load();
    assertThat(catalog.find("rtx-4090").orElseThrow().perfIndex()).isEqualByComparingTo("100");
    assertThat(catalog.find("rtx-4080").orElseThrow().perfIndex())
        .isBetween(new BigDecimal("80"), new BigDecimal("99"));
    assertThat(catalog.find("h100-sxm").orElseThrow().perfIndex()).isNull();
    assertThat(catalog.performanceSource().source())
        .contains("GPU Benchmarks Hierarchy")
        .contains("1080p Ultra");
    assertThat(catalog.performanceSource().asOf()).matches("\\d{4}-\\d{2}");
    long indexed = catalog.models().stream().filter(m -> m.perfIndex() != null).count();
    assertThat(indexed).as("every consumer card the hierarchy ranks").isGreaterThan(70);
    // Faster cards never rank below slower ones of the same generation: a guard against
    // transcription slips.
    assertThat(catalog.find("rtx-4070").orElseThrow().perfIndex())
        .isLessThan(catalog.find("rtx-4070-super").orElseThrow().perfIndex());
    assertThat(catalog.find("rx-7900-xt").orElseThrow().perfIndex())
        .isLessThan(catalog.find("rx-7900-xtx").orElseThrow().perfIndex());
  }

  @Test
  @DisplayName(
      "a performance row for a model the catalog does not know, a duplicate, or a missing source stops loading")
  void rejectsBadPerformanceData() {
    String header = "# source: a table\n# as_of: 2025-06\nslug,perf_index\n";
    assertThat(
            GpuCatalog.parse(MODELS, header + "rtx-4090,100\n")
                .find("rtx-4090")
                .orElseThrow()
                .perfIndex())
        .isEqualByComparingTo("100");
    assertThatThrownBy(() -> GpuCatalog.parse(MODELS, header + "rtx-9999,100\n"))
        .hasMessageContaining("no model rtx-9999");
    assertThatThrownBy(() -> GpuCatalog.parse(MODELS, header + "rtx-4090,100\nrtx-4090,99\n"))
        .hasMessageContaining("duplicate slug rtx-4090");
    assertThatThrownBy(() -> GpuCatalog.parse(MODELS, header + "rtx-4090,-1\n"))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> GpuCatalog.parse(MODELS, "slug,perf_index\nrtx-4090,100\n"))
        .hasMessageContaining("source");
  }

  @Test
  @DisplayName("the seed's checksum changes when either data file changes")
  void checksumCoversBothFiles() {
    String header = "# source: a table\n# as_of: 2025-06\nslug,perf_index\n";
    int a = GpuCatalog.parse(MODELS, header + "rtx-4090,100\n").checksum();
    int b = GpuCatalog.parse(MODELS, header + "rtx-4090,99\n").checksum();
    assertThat(a).isNotEqualTo(b);
  }
}
