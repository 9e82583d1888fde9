package dev.gputracker.api.http;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The one parser of the numbers and times a client sends: query parameters, path ids and the keys
 * inside cursors. Every route and every cursor decoder goes through it, so no client text reaches
 * SQL or {@link BigDecimal} arithmetic unbounded.
 *
 * <p>Why it exists: {@code new BigDecimal("1e-999999999")} is a valid number whose plain form is a
 * billion characters; {@code Long.parseLong} and {@code BigDecimal} accept Arabic-Indic and other
 * non-ASCII digits that PostgreSQL rejects; {@code OffsetDateTime} accepts years PostgreSQL cannot
 * store. Here a value is checked for length and characters first (ASCII digits only), its exponent
 * and scale are capped, and its range is the parameter's own; anything else is a 400 that names the
 * parameter and says what it accepts.
 */
public final class Bounded {
  /** The longest decimal or integer text read at all; nothing we accept needs more. */
  static final int MAX_NUMBER_CHARS = 32;

  /** Exponents beyond this would only make huge or tiny numbers; none of our ranges needs them. */
  static final int MAX_EXPONENT = 20;

  private static final int MAX_TIME_CHARS = 40;
  private static final OffsetDateTime EARLIEST = OffsetDateTime.parse("0001-01-01T00:00:00Z");
  private static final OffsetDateTime LATEST = OffsetDateTime.parse("9999-12-31T23:59:59.999999Z");

  private Bounded() {}

  /**
   * A whole number of ASCII digits (no sign, no spaces) between {@code min} and {@code max}; else a
   * 400 naming {@code name}.
   */
  public static long integer(String name, String raw, long min, long max) {
    Long n = parseLong(raw);
    if (n == null) {
      if (raw != null
          && !raw.isEmpty()
          && raw.length() <= MAX_NUMBER_CHARS
          && allAsciiDigits(raw)) {
        throw outOfRange(name, min, max, raw);
      }
      throw Problem.badParameter(
          name,
          name
              + " must be a whole number between "
              + min
              + " and "
              + max
              + ", got '"
              + Text.excerpt(raw)
              + "'");
    }
    if (n < min || n > max) {
      throw outOfRange(name, min, max, raw);
    }
    return n;
  }

  /** As {@link #integer}, for an {@code int} range. */
  public static int integer(String name, String raw, int min, int max) {
    return (int) integer(name, raw, (long) min, (long) max);
  }

  /**
   * A decimal number ({@code 499.99}, {@code 5e2}; ASCII digits, no sign) between {@code min} and
   * {@code max} with at most {@code maxScale} decimal places once trailing zeros are dropped; else
   * a 400 naming {@code name}.
   */
  public static BigDecimal decimal(
      String name, String raw, BigDecimal min, BigDecimal max, int maxScale) {
    BigDecimal d = parseDecimal(raw);
    if (d == null) {
      throw Problem.badParameter(
          name,
          name
              + " must be a decimal number such as 499.99 (ASCII digits, at most "
              + MAX_NUMBER_CHARS
              + " characters), got '"
              + Text.excerpt(raw)
              + "'");
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw Problem.badParameter(
          name,
          name
              + " is out of range: it must be between "
              + min.toPlainString()
              + " and "
              + max.toPlainString()
              + ", got "
              + Text.excerpt(raw));
    }
    BigDecimal plain = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    if (plain.scale() > maxScale) {
      throw Problem.badParameter(
          name,
          name + " may have at most " + maxScale + " decimal places, got " + Text.excerpt(raw));
    }
    return plain.scale() < 0 ? plain.setScale(0) : plain;
  }

  /**
   * An ISO-8601 time with an offset ({@code 2026-12-01T20:35:44.9Z}) between the years 1 and 9999;
   * else null (the caller says what was wrong in its own terms, a cursor being opaque to clients).
   */
  public static OffsetDateTime timestampOrNull(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > MAX_TIME_CHARS || !isAscii(raw)) {
      return null;
    }
    try {
      OffsetDateTime t = OffsetDateTime.parse(raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return t.isBefore(EARLIEST) || t.isAfter(LATEST) ? null : t;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The number in {@code raw}, or null when it is not a plain decimal of ASCII digits within the
   * length and exponent caps (so its plain form is never more than about 50 characters).
   */
  public static BigDecimal parseDecimal(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > MAX_NUMBER_CHARS) {
      return null;
    }
    int i = 0;
    int n = raw.length();
    int digits = 0;
    while (i < n && isDigit(raw.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && raw.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(raw.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return null;
    }
    if (i < n && (raw.charAt(i) == 'e' || raw.charAt(i) == 'E')) {
      i++;
      if (i < n && (raw.charAt(i) == '-' || raw.charAt(i) == '+')) {
        i++;
      }
      int start = i;
      while (i < n && isDigit(raw.charAt(i))) {
        i++;
      }
      if (i == start || i - start > 2 || Integer.parseInt(raw.substring(start, i)) > MAX_EXPONENT) {
        return null;
      }
    }
    return i == n ? new BigDecimal(raw) : null;
  }

  /**
   * The whole number in {@code raw} (ASCII digits only, no sign), or null when there is none or it
   * exceeds a long.
   */
  public static Long parseLong(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > 19 || !allAsciiDigits(raw)) {
      return null;
    }
    long n = 0;
    for (int i = 0; i < raw.length(); i++) {
      int d = raw.charAt(i) - '0';
      if (n > (Long.MAX_VALUE - d) / 10) {
        return null;
      }
      n = n * 10 + d;
    }
    return n;
  }

  private static Problem outOfRange(String name, long min, long max, String raw) {
    return Problem.badParameter(
        name,
        name
            + " is out of range: it must be between "
            + min
            + " and "
            + max
            + ", got "
            + Text.excerpt(raw));
  }

  private static boolean allAsciiDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7e || s.charAt(i) < 0x20) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
