package dev.gputracker.shared.catalog;

import java.math.BigDecimal;

/**
 * One GPU model of the catalog, as published in its vendor's spec sheet. Nullable figures were not
 * published.
 *
 * @param slug lower-case hyphenated key without vendor words, e.g. {@code rtx-4090}, {@code
 *     a100-80gb}
 * @param fp16Tflops dense FP16 tensor throughput (no sparsity) where the part has tensor cores,
 *     else plain FP16
 * @param perfIndex relative gaming performance from the published benchmark hierarchy named in
 *     {@code catalog/gpu-performance.csv} (RTX 4090 = 100); null where the hierarchy does not test
 *     the model
 */
public record GpuModel(
    String slug,
    String vendor,
    String family,
    String name,
    String segment,
    BigDecimal vramGb,
    String memoryType,
    BigDecimal memoryBandwidthGbs,
    BigDecimal fp32Tflops,
    BigDecimal fp16Tflops,
    Integer tdpW,
    Integer releaseYear,
    BigDecimal perfIndex) {

  /** The same model with its performance index set. */
  public GpuModel withPerfIndex(BigDecimal index) {
    return new GpuModel(
        slug,
        vendor,
        family,
        name,
        segment,
        vramGb,
        memoryType,
        memoryBandwidthGbs,
        fp32Tflops,
        fp16Tflops,
        tdpW,
        releaseYear,
        index);
  }
}
