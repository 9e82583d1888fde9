package dev.gputracker.worker.normalize;

import dev.gputracker.shared.domain.Condition;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The normaliser's verdict on one title: a catalog slug, or a reason for rejecting it.
 *
 * @param slug the catalog slug when accepted, else null
 * @param reason why it was rejected, else null
 * @param detail what triggered the verdict (the word or the model seen), for operators; may be null
 * @param vramGb the memory the title states, when it is the accepted model's; else null
 * @param condition new, used or refurbished when the title says so ("używana", "gebraucht", "new");
 *     else null
 */
public record Normalization(
    String slug, RejectReason reason, String detail, BigDecimal vramGb, Condition condition) {
  public Normalization {
    if ((slug == null) == (reason == null)) {
      throw new IllegalArgumentException("exactly one of slug and reason");
    }
  }

  public static Normalization gpu(String slug) {
    return new Normalization(Objects.requireNonNull(slug), null, null, null, null);
  }

  public static Normalization gpu(String slug, BigDecimal vramGb, Condition condition) {
    return new Normalization(Objects.requireNonNull(slug), null, null, vramGb, condition);
  }

  public static Normalization rejected(RejectReason reason, String detail) {
    return new Normalization(null, Objects.requireNonNull(reason), detail, null, null);
  }

  public boolean accepted() {
    return slug != null;
  }
}
