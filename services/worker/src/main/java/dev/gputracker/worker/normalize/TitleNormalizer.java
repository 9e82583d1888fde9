package dev.gputracker.worker.normalize;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.catalog.GpuModel;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Maps messy marketplace titles to catalog slugs ("ASUS TUF Gaming GeForce RTX 4090 OC 24GB GDDR6X"
 * → {@code rtx-4090}) and rejects, with a reason, what only mentions a GPU: water blocks, risers
 * and other accessories, prebuilt PCs and mining rigs ({@link RejectReason#NOT_A_GPU}), laptops
 * ({@link RejectReason#LAPTOP}), cards sold as "box only" or "for parts" or with memory the model
 * never had ({@link RejectReason#SUSPICIOUS}), and cards the catalog does not know ({@link
 * RejectReason#UNKNOWN_MODEL}, with the words it could not place).
 *
 * <p>A title is read as a buyer reads it: the card for sale is its leading mention, read with its
 * suffixes ("RTX 4070 Ti SUPER"); a sibling named later in a spec line does not make it another
 * card. Models listed one after another ("RTX 3060 / 3060 Ti / 3070") are a pick-your-model
 * listing, whose price belongs to none of them.
 *
 * <p>Thread-safe and allocation-light: patterns are compiled once; a title takes microseconds.
 */
public final class TitleNormalizer {
  private final GpuCatalog catalog;
  private final MemoryVariants variants;

  public TitleNormalizer(GpuCatalog catalog) {
    this.catalog = catalog;
    this.variants = new MemoryVariants(catalog);
  }

  public Normalization normalize(String title) {
    if (title == null || title.isBlank()) {
      return Normalization.rejected(RejectReason.NOT_A_GPU, "empty title");
    }
    String cleaned = TitleCleaner.clean(title);
    List<ModelMatcher.Hit> hits = ModelMatcher.findAll(cleaned);
    ModelMatcher.Hit lead = hits.isEmpty() ? null : hits.get(0);
    PhraseMatcher.Scan phrases = RejectRules.scan(cleaned);
    Optional<RejectRules.NotACard> notCard =
        RejectRules.notAGpu(phrases, cleaned, lead == null ? -1 : lead.start());
    if (notCard.isPresent()) {
      return Normalization.rejected(notCard.get().reason(), notCard.get().detail());
    }
    if (RejectRules.migSlice(phrases)) {
      return Normalization.rejected(
          RejectReason.UNKNOWN_MODEL, "a MIG slice of a GPU, not a whole one");
    }
    if (lead == null) {
      return RejectRules.looksLikeGpu(phrases)
          ? Normalization.rejected(
              RejectReason.UNKNOWN_MODEL, CatalogGaps.detail(CatalogGaps.unplacedWords(cleaned)))
          : Normalization.rejected(RejectReason.NOT_A_GPU, "no GPU named");
    }
    List<String> listed = ModelLists.pickList(cleaned, hits);
    if (listed.size() > 1) {
      // "RTX 3060 / 3060 Ti / 3070": the buyer picks a model, so the price belongs to none of them.
      return Normalization.rejected(
          RejectReason.UNKNOWN_MODEL, "names several models: " + String.join(", ", listed));
    }
    Optional<String> suspicious = RejectRules.suspicious(phrases);
    if (suspicious.isPresent()) {
      return Normalization.rejected(RejectReason.SUSPICIOUS, suspicious.get());
    }
    MemoryVariants.Choice choice = variants.choose(lead.slug(), cleaned);
    if (choice == null) {
      return Normalization.rejected(
          RejectReason.UNKNOWN_MODEL, CatalogGaps.detail(lead.text().trim()));
    }
    GpuModel model = choice.model();
    if (choice.mismatch() && !model.segment().equals("datacenter")) {
      // Cloud offers report usable or host memory ("L40S 45GB", "GH200 480GB"); a card's title
      // states its own.
      return Normalization.rejected(
          RejectReason.SUSPICIOUS,
          "states "
              + plain(choice.stated())
              + " GB, but the "
              + model.name().replaceAll(" \\d+GB$", "")
              + " shipped with "
              + variants.sizes(lead.slug()));
    }
    BigDecimal vram = choice.stated() != null && !choice.mismatch() ? choice.stated() : null;
    return Normalization.gpu(model.slug(), vram, RejectRules.condition(phrases));
  }

  /** The catalog this normaliser reads titles against. */
  public GpuCatalog catalog() {
    return catalog;
  }

  private static String plain(BigDecimal gb) {
    return gb.stripTrailingZeros().toPlainString();
  }
}
