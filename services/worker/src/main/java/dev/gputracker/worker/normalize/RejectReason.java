package dev.gputracker.worker.normalize;

import java.util.Locale;

/** Why a title was not accepted as a GPU of the catalog. Stored as the lower-case name. */
public enum RejectReason {
  /**
   * Accessories, water blocks, risers, cables, brackets, prebuilt PCs, mining rigs: they only
   * mention a GPU.
   */
  NOT_A_GPU,
  /**
   * A laptop, or a laptop's GPU ("Laptop GPU", "Mobile", "Max-Q"): not a card anyone can put in a
   * computer.
   */
  LAPTOP,
  /** Looks like a graphics card, but no model of the catalog could be named. */
  UNKNOWN_MODEL,
  /**
   * A GPU, but the listing says it is not what it seems: box only, for parts, broken, read the
   * description.
   */
  SUSPICIOUS,
  /** Far outside the model's current price range (decided by the engine, not from the title). */
  PRICE_OUTLIER,
  /** The same offer listed again under another id (decided by the engine, not from the title). */
  DUPLICATE;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
