package dev.gputracker.worker.scrape.fetch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try again: exponential backoff with full jitter, or the server's own Retry-After when it
 * sends one.
 *
 * @param baseDelay the backoff ceiling of the first retry; it doubles per retry
 * @param maxDelay the backoff ceiling never grows past this
 * @param retryAfterCap a Retry-After longer than this fails the fetch instead of parking it
 */
public record RetryPolicy(Duration baseDelay, Duration maxDelay, Duration retryAfterCap) {

  public RetryPolicy {
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(retryAfterCap, "retryAfterCap");
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5));
  }

  /** True for the statuses worth another try: 429 and every 5xx. */
  static boolean retryableStatus(int status) {
    return status == 429 || (status >= 500 && status <= 599);
  }

  /**
   * Full jitter (uniform in [0, min(max, base * 2^retry)]) spreads retries of many clients instead
   * of synchronising them.
   *
   * @param retry 0 for the first retry
   */
  long backoffMillis(int retry) {
    long base = Math.max(1, baseDelay.toMillis());
    long ceiling = retry >= 30 ? maxDelay.toMillis() : Math.min(maxDelay.toMillis(), base << retry);
    return ThreadLocalRandom.current().nextLong(ceiling + 1);
  }

  /**
   * Reads Retry-After as delta-seconds or an HTTP-date.
   *
   * @return the delay in milliseconds (never negative), or empty when absent or unreadable
   */
  static OptionalLong parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return OptionalLong.empty();
    }
    String v = value.trim();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return OptionalLong.of(Math.multiplyExact(Long.parseLong(v), 1000L));
      } catch (ArithmeticException | NumberFormatException e) {
        return OptionalLong.of(Long.MAX_VALUE);
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return OptionalLong.of(Math.max(0, Duration.between(now, at).toMillis()));
    } catch (DateTimeParseException e) {
      return OptionalLong.empty();
    }
  }
}
