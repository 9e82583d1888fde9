package dev.gputracker.worker.normalize;

import dev.gputracker.shared.catalog.GpuCatalog;
import java.util.List;
import java.util.Optional;

/**
 * Maps messy marketplace titles to catalog slugs ("ASUS TUF Gaming GeForce RTX 4090 OC 24GB GDDR6X" →
 * {@code rtx-4090}) and rejects, with a reason, what only mentions a GPU: water blocks, risers and other
 * accessories, prebuilt PCs and laptops ({@link RejectReason#NOT_A_GPU}), cards sold as "box only" or "for parts"
 * ({@link RejectReason#SUSPICIOUS}), and cards the catalog does not know ({@link RejectReason#UNKNOWN_MODEL}).
 *
 * <p>Thread-safe and allocation-light: patterns are compiled once; a title takes microseconds.
 */
public final class TitleNormalizer {
  private final GpuCatalog catalog;

  public TitleNormalizer(GpuCatalog catalog) {
    this.catalog = catalog;
  }

  public Normalization normalize(String title) {
    if (title == null || title.isBlank()) {
      return Normalization.rejected(RejectReason.NOT_A_GPU, "empty title");
    }
    String cleaned = TitleCleaner.clean(title);
    List<ModelMatcher.Hit> hits = ModelMatcher.findAll(cleaned);
    Optional<ModelMatcher.Hit> hit = hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0));
    Optional<String> notGpu = RejectRules.notAGpu(cleaned, hit.map(ModelMatcher.Hit::start).orElse(-1));
    if (notGpu.isPresent()) {
      return Normalization.rejected(RejectReason.NOT_A_GPU, notGpu.get());
    }
    if (RejectRules.migSlice(cleaned)) {
      return Normalization.rejected(RejectReason.UNKNOWN_MODEL, "a MIG slice of a GPU, not a whole one");
    }
    if (hit.isEmpty()) {
      return RejectRules.looksLikeGpu(cleaned)
          ? Normalization.rejected(RejectReason.UNKNOWN_MODEL, "no catalog model named")
          : Normalization.rejected(RejectReason.NOT_A_GPU, "no GPU named");
    }
    if (hits.size() > 1) {
      // "RTX 3060 / 3060 Ti / 3070": the buyer picks a model, so the price belongs to none of them.
      return Normalization.rejected(RejectReason.UNKNOWN_MODEL, "names several models: "
          + String.join(", ", hits.stream().map(ModelMatcher.Hit::slug).toList()));
    }
    Optional<String> suspicious = RejectRules.suspicious(cleaned);
    if (suspicious.isPresent()) {
      return Normalization.rejected(RejectReason.SUSPICIOUS, suspicious.get());
    }
    String slug = hit.get().slug();
    return catalog.contains(slug)
        ? Normalization.gpu(slug)
        : Normalization.rejected(RejectReason.UNKNOWN_MODEL, slug + " is not in the catalog");
  }
}
