package dev.gputracker.worker.normalize;

import java.util.Objects;

/**
 * The normaliser's verdict on one title: a catalog slug, or a reason for rejecting it.
 *
 * @param slug the catalog slug when accepted, else null
 * @param reason why it was rejected, else null
 * @param detail what triggered the verdict (the word or the model seen), for operators; may be null
 */
public record Normalization(String slug, RejectReason reason, String detail) {
  public Normalization {
    if ((slug == null) == (reason == null)) {
      throw new IllegalArgumentException("exactly one of slug and reason");
    }
  }

  public static Normalization gpu(String slug) {
    return new Normalization(Objects.requireNonNull(slug), null, null);
  }

  public static Normalization rejected(RejectReason reason, String detail) {
    return new Normalization(null, Objects.requireNonNull(reason), detail);
  }

  public boolean accepted() {
    return slug != null;
  }
}
