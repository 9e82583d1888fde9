package dev.gputracker.worker.scrape.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Retry policy: backoff with full jitter and Retry-After parsing")
class FetchRetryPolicyTest {

  private static final Instant NOW = Instant.parse("2026-11-23T04:00:00Z");

  @Test
  @DisplayName("Retry-After as delta-seconds becomes milliseconds")
  void deltaSeconds() {
    assertThat(RetryPolicy.parseRetryAfter("120", NOW)).isEqualTo(OptionalLong.of(120_000));
    assertThat(RetryPolicy.parseRetryAfter(" 0 ", NOW)).isEqualTo(OptionalLong.of(0));
  }

  @Test
  @DisplayName("Retry-After as an HTTP-date is the time until then, never negative")
  void httpDate() {
    assertThat(RetryPolicy.parseRetryAfter("Mon, 23 Nov 2026 04:01:30 GMT", NOW))
        .isEqualTo(OptionalLong.of(90_000));
    assertThat(RetryPolicy.parseRetryAfter("Mon, 23 Nov 2026 03:00:00 GMT", NOW))
        .isEqualTo(OptionalLong.of(0));
  }

  @Test
  @DisplayName(
      "a missing or unreadable Retry-After is ignored, an absurd one is huge (and so over the cap)")
  void unreadable() {
    assertThat(RetryPolicy.parseRetryAfter(null, NOW)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter("soon", NOW)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter("99999999999999999999", NOW)).hasValue(Long.MAX_VALUE);
  }

  @Test
  @DisplayName("backoff stays within [0, min(max, base * 2^retry)]")
  void backoffBounds() {
    RetryPolicy policy =
        new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofMinutes(5));
    long maxSeenFirst = 0;
    for (int i = 0; i < 2000; i++) {
      long first = policy.backoffMillis(0);
      maxSeenFirst = Math.max(maxSeenFirst, first);
      assertThat(first).isBetween(0L, 100L);
      assertThat(policy.backoffMillis(2)).isBetween(0L, 400L);
      assertThat(policy.backoffMillis(40)).isBetween(0L, 1000L);
    }
    assertThat(maxSeenFirst).as("jitter spreads over the range").isGreaterThan(50);
  }

  @Test
  @DisplayName("429 and 5xx are retried, other statuses are not")
  void retryableStatuses() {
    assertThat(RetryPolicy.retryableStatus(429)).isTrue();
    assertThat(RetryPolicy.retryableStatus(500)).isTrue();
    assertThat(RetryPolicy.retryableStatus(503)).isTrue();
    assertThat(RetryPolicy.retryableStatus(404)).isFalse();
    assertThat(RetryPolicy.retryableStatus(403)).isFalse();
    assertThat(RetryPolicy.retryableStatus(200)).isFalse();
  }
}
