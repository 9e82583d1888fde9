package dev.gputracker.shared.domain;

import java.util.regex.Pattern;

/**
 * The shapes of the product's own names, defined once: a catalog model's slug (the {@code
 * gpu_models.slug} check of migration V1 says the same) and a source's name (as the sources file
 * accepts it).
 */
public final class Names {
  /** Lower-case letters and digits in dash-separated words: {@code rtx-4090}, {@code a100-80gb}. */
  public static final Pattern GPU_SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /** The longest slug a request may name; the catalog's are far shorter. */
  public static final int GPU_SLUG_MAX = 40;

  /**
   * A letter or digit, then up to 62 more letters, digits or dashes: {@code olx}, {@code x-kom}.
   */
  public static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private Names() {}

  public static boolean isGpuSlug(String value) {
    return value != null && value.length() <= GPU_SLUG_MAX && GPU_SLUG.matcher(value).matches();
  }

  public static boolean isSourceName(String value) {
    return value != null && SOURCE_NAME.matcher(value).matches();
  }
}
