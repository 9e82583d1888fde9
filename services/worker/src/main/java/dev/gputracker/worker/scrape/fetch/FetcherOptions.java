package dev.gputracker.worker.scrape.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * Process-wide fetcher settings (per-source settings live in {@code SourceConfig.FetchSettings}).
 *
 * @param retry backoff and Retry-After handling
 * @param robotsTtl how long a fetched robots.txt is trusted
 * @param robotsFailureTtl how long an unreachable robots.txt (5xx, network error) blocks the host
 *     before it is asked again
 * @param defaultUserAgent the agent sent when a source names none
 */
public record FetcherOptions(
    RetryPolicy retry, Duration robotsTtl, Duration robotsFailureTtl, String defaultUserAgent) {

  public FetcherOptions {
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(robotsTtl, "robotsTtl");
    Objects.requireNonNull(robotsFailureTtl, "robotsFailureTtl");
    Objects.requireNonNull(defaultUserAgent, "defaultUserAgent");
  }

  public static FetcherOptions defaults() {
    return new FetcherOptions(
        RetryPolicy.defaults(),
        Duration.ofHours(1),
        Duration.ofMinutes(1),
        UserAgents.defaultAgent());
  }

  public FetcherOptions withRetry(RetryPolicy policy) {
    return new FetcherOptions(policy, robotsTtl, robotsFailureTtl, defaultUserAgent);
  }
}
