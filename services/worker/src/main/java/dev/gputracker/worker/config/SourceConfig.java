package dev.gputracker.worker.config;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One source of the sources file: which adapter reads it, where it starts, and how politely it is
 * fetched.
 *
 * @param name unique name, also the {@code sources.name} key in the database
 * @param adapter the {@code SourceAdapter} name
 * @param baseUrl where the adapter starts
 * @param enabled a disabled source is skipped (and shown as such)
 * @param pageLimit at most this many pages per start URL per run
 * @param fetch politeness and transport settings
 * @param options adapter-specific settings (search terms, selectors, currency …), never null
 * @param health the thresholds a run's yield is judged by
 */
public record SourceConfig(
    String name,
    String adapter,
    URI baseUrl,
    boolean enabled,
    int pageLimit,
    FetchSettings fetch,
    JsonObject options,
    HealthSettings health) {

  public SourceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(adapter, "adapter");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(fetch, "fetch");
    options = options == null ? new JsonObject() : options;
    health = health == null ? HealthSettings.defaults() : health;
  }

  /** A source judged by the default health thresholds. */
  public SourceConfig(
      String name,
      String adapter,
      URI baseUrl,
      boolean enabled,
      int pageLimit,
      FetchSettings fetch,
      JsonObject options) {
    this(name, adapter, baseUrl, enabled, pageLimit, fetch, options, HealthSettings.defaults());
  }

  public SourceConfig withBaseUrl(URI url) {
    return new SourceConfig(name, adapter, url, enabled, pageLimit, fetch, options, health);
  }

  public SourceConfig withEnabled(boolean on) {
    return new SourceConfig(name, adapter, baseUrl, on, pageLimit, fetch, options, health);
  }

  /**
   * When a complete run's yield is {@code suspect} rather than trusted (the {@code health} object
   * of a source).
   *
   * @param minYieldShare listings read below this share of the median of the recent complete runs
   *     is suspect
   * @param maxShareDrop the share of listings with a price, or matched to a model, falling by more
   *     than this fraction of its recent median is suspect
   * @param baselineRuns how many recent complete runs make the baseline
   */
  public record HealthSettings(double minYieldShare, double maxShareDrop, int baselineRuns) {
    public static HealthSettings defaults() {
      return new HealthSettings(0.5, 0.5, 5);
    }
  }

  /**
   * How pages of a source are fetched.
   *
   * @param userAgents agents to rotate through; empty means the honest default agent
   * @param obeyRobots obey robots.txt (turning it off logs a warning)
   * @param requestsPerSecond steady request rate per host
   * @param maxConcurrency requests in flight per host
   * @param connectTimeout TCP connect timeout
   * @param readTimeout longest silence while reading a response
   * @param maxRetries retries after the first try on 429, 5xx and I/O errors
   * @param maxBodyBytes a larger body is cut off and the page fails
   * @param proxy {@code http://host:port} or {@code socks5://host:port}, when set
   */
  public record FetchSettings(
      List<String> userAgents,
      boolean obeyRobots,
      double requestsPerSecond,
      int maxConcurrency,
      Duration connectTimeout,
      Duration readTimeout,
      int maxRetries,
      long maxBodyBytes,
      Optional<URI> proxy) {

    public FetchSettings {
      userAgents = List.copyOf(userAgents);
      Objects.requireNonNull(proxy, "proxy");
    }

    public static FetchSettings defaults() {
      return new FetchSettings(
          List.of(),
          true,
          1.0,
          2,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          3,
          10L * 1024 * 1024,
          Optional.empty());
    }
  }
}
