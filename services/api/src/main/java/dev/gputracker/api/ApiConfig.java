package dev.gputracker.api;

import dev.gputracker.api.http.TrustedProxies;
import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import java.util.List;

/**
 * The API's configuration, read once from the environment; a missing or malformed value fails
 * start-up with one line naming the variable. Every variable is documented in README.md.
 *
 * @param port {@code PORT} (default 8080), as PaaS platforms inject it
 * @param database {@code DATABASE_READ_URL} when set (a replica), else {@code DATABASE_URL}
 * @param poolSize {@code DB_POOL_SIZE} connections (default 8)
 * @param statementTimeoutMs {@code DB_STATEMENT_TIMEOUT_MS} (default 5000): PostgreSQL cancels
 *     longer queries
 * @param requestTimeoutMs {@code HTTP_REQUEST_TIMEOUT_MS} (default 10000): the API answers 503
 *     after this long
 * @param corsOrigins {@code CORS_ALLOWED_ORIGINS}: comma-separated origins, or {@code *}; none by
 *     default
 * @param rateLimitPerMinute {@code RATE_LIMIT_PER_MINUTE} (default 600) requests per client per
 *     minute; 0 = off
 * @param marketCacheSeconds {@code MARKET_CACHE_SECONDS} (default 10): how long {@code /api/gpus}
 *     answers from the figures it computed last (they aggregate every active listing); 0 = always
 *     fresh
 * @param sseMaxStreams {@code SSE_MAX_STREAMS} (default 200): live event streams open at once; more
 *     get a 503
 * @param sseHeartbeatSeconds {@code SSE_HEARTBEAT_SECONDS} (default 15): a comment on idle streams
 *     this often
 * @param http the HTTP layer's limits and the proxies it believes
 * @param shutdownGraceSeconds {@code SHUTDOWN_GRACE_SECONDS} (default 10): SIGTERM drains requests
 *     for at most this long, closing the database pool before the end so a query stuck in the
 *     database cannot hold the exit
 * @param shutdownNoticeSeconds {@code SHUTDOWN_NOTICE_SECONDS} (default 0): the first part of the
 *     grace, during which {@code /ready} already answers 503 while every other route still serves,
 *     so a load balancer that polls readiness stops sending before connections close; at most the
 *     grace less 2 s
 */
public record ApiConfig(
    int port,
    DatabaseUrl database,
    int poolSize,
    int statementTimeoutMs,
    int requestTimeoutMs,
    List<String> corsOrigins,
    int rateLimitPerMinute,
    int marketCacheSeconds,
    int sseMaxStreams,
    int sseHeartbeatSeconds,
    Http http,
    int shutdownGraceSeconds,
    int shutdownNoticeSeconds) {

  public ApiConfig {
    if (shutdownNoticeSeconds < 0 || shutdownNoticeSeconds > shutdownGraceSeconds - 2) {
      throw new ConfigException(
          "SHUTDOWN_NOTICE_SECONDS must be between 0 and SHUTDOWN_GRACE_SECONDS - 2 ("
              + (shutdownGraceSeconds - 2)
              + "), was "
              + shutdownNoticeSeconds);
    }
  }

  /**
   * @param maxRequestLineBytes {@code HTTP_MAX_REQUEST_LINE_BYTES} (default 4096): a longer request
   *     line (method, URI, version) is a 414
   * @param maxHeaderBytes {@code HTTP_MAX_HEADER_BYTES} (default 8192): larger request headers are
   *     a 431
   * @param trustedProxies {@code TRUSTED_PROXIES}: CIDRs whose {@code X-Forwarded-For} names the
   *     client; none by default
   */
  public record Http(int maxRequestLineBytes, int maxHeaderBytes, TrustedProxies trustedProxies) {
    public static final Http DEFAULTS = new Http(4096, 8192, TrustedProxies.NONE);
  }

  /**
   * The same settings in the rest of the positional form tests use: default HTTP limits, a 10 s
   * shutdown grace without notice.
   */
  public ApiConfig(
      int port,
      DatabaseUrl database,
      int poolSize,
      int statementTimeoutMs,
      int requestTimeoutMs,
      List<String> corsOrigins,
      int rateLimitPerMinute,
      int marketCacheSeconds,
      int sseMaxStreams,
      int sseHeartbeatSeconds) {
    this(
        port,
        database,
        poolSize,
        statementTimeoutMs,
        requestTimeoutMs,
        corsOrigins,
        rateLimitPerMinute,
        marketCacheSeconds,
        sseMaxStreams,
        sseHeartbeatSeconds,
        Http.DEFAULTS,
        10,
        0);
  }

  /** The configuration tests use: given database, any free port, no rate limit. */
  public static ApiConfig forTest(DatabaseUrl database) {
    return new ApiConfig(0, database, 4, 5_000, 10_000, List.of(), 0, 0, 50, 15);
  }

  /** This configuration with other HTTP limits and trusted proxies. */
  public ApiConfig withHttp(Http other) {
    return new ApiConfig(
        port,
        database,
        poolSize,
        statementTimeoutMs,
        requestTimeoutMs,
        corsOrigins,
        rateLimitPerMinute,
        marketCacheSeconds,
        sseMaxStreams,
        sseHeartbeatSeconds,
        other,
        shutdownGraceSeconds,
        shutdownNoticeSeconds);
  }

  public static ApiConfig from(Env env) {
    int port = env.integer("PORT", 8080, 1, 65535);
    DatabaseUrl database =
        env.optional("DATABASE_READ_URL")
            .map(url -> DatabaseUrl.parse("DATABASE_READ_URL", url))
            .orElseGet(() -> DatabaseUrl.fromEnv(env));
    int pool = env.integer("DB_POOL_SIZE", 8, 1, 200);
    int statementTimeout = env.integer("DB_STATEMENT_TIMEOUT_MS", 5_000, 100, 600_000);
    int requestTimeout = env.integer("HTTP_REQUEST_TIMEOUT_MS", 10_000, 100, 600_000);
    List<String> cors =
        env.optional("CORS_ALLOWED_ORIGINS")
            .map(v -> List.of(v.split("\\s*,\\s*")))
            .orElse(List.of());
    int rateLimit = env.integer("RATE_LIMIT_PER_MINUTE", 600, 0, 1_000_000);
    int marketCache = env.integer("MARKET_CACHE_SECONDS", 10, 0, 3600);
    int sseMax = env.integer("SSE_MAX_STREAMS", 200, 1, 100_000);
    int sseHeartbeat = env.integer("SSE_HEARTBEAT_SECONDS", 15, 1, 3600);
    int requestLine = env.integer("HTTP_MAX_REQUEST_LINE_BYTES", 4096, 256, 65_536);
    int headers = env.integer("HTTP_MAX_HEADER_BYTES", 8192, 1024, 262_144);
    TrustedProxies proxies;
    try {
      proxies = TrustedProxies.parse(env.optional("TRUSTED_PROXIES").orElse(""));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("TRUSTED_PROXIES: " + e.getMessage());
    }
    int grace = env.integer("SHUTDOWN_GRACE_SECONDS", 10, 2, 3600);
    int notice = env.integer("SHUTDOWN_NOTICE_SECONDS", 0, 0, 3600);
    return new ApiConfig(
        port,
        database,
        pool,
        statementTimeout,
        requestTimeout,
        cors,
        rateLimit,
        marketCache,
        sseMax,
        sseHeartbeat,
        new Http(requestLine, headers, proxies),
        grace,
        notice);
  }
}
