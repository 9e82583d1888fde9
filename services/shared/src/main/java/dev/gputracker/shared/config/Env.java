package dev.gputracker.shared.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed, validated reads of 12-factor environment variables. Every read names the variable in its
 * error, and a blank value counts as unset so that {@code FOO=} in an .env file falls back to the
 * default.
 */
public final class Env {
  private final Map<String, String> values;

  public Env(Map<String, String> values) {
    this.values = Map.copyOf(Objects.requireNonNull(values, "values"));
  }

  /** The process environment. */
  public static Env system() {
    return new Env(System.getenv());
  }

  public Optional<String> optional(String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(value.trim());
  }

  public String string(String name, String defaultValue) {
    return optional(name).orElse(defaultValue);
  }

  public String required(String name) {
    return optional(name).orElseThrow(() -> new ConfigException(name + " is required but not set"));
  }

  public int integer(String name, int defaultValue, int min, int max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) {
        throw new ConfigException(
            name + " must be between " + min + " and " + max + ", got '" + raw.get() + "'");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be an integer, got '" + raw.get() + "'");
    }
  }

  public double decimal(String name, double defaultValue, double min, double max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    double value;
    try {
      value = Double.parseDouble(raw.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number, got '" + raw.get() + "'");
    }
    if (!(value >= min && value <= max)) {
      throw new ConfigException(
          name + " must be between " + min + " and " + max + ", got '" + raw.get() + "'");
    }
    return value;
  }

  public boolean bool(String name, boolean defaultValue) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on":
        return true;
      case "false", "0", "no", "off":
        return false;
      default:
        throw new ConfigException(name + " must be true or false, got '" + raw.get() + "'");
    }
  }

  /** Reads an enum by its lower-case name, e.g. {@code WORKER_MODE=daemon}. */
  public <E extends Enum<E>> E oneOf(String name, Class<E> type, E defaultValue) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(raw.get().replace('-', '_'))) {
        return constant;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E constant : type.getEnumConstants()) {
      if (allowed.length() > 0) {
        allowed.append(", ");
      }
      allowed.append(constant.name().toLowerCase(Locale.ROOT));
    }
    throw new ConfigException(name + " must be one of " + allowed + ", got '" + raw.get() + "'");
  }
}
