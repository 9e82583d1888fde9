package dev.gputracker.api.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A per-client request limit over fixed one-minute windows, shared by every event loop of the
 * process. The client is the socket peer, or, when that peer is one of the {@link TrustedProxies},
 * the address it forwarded ({@code X-Forwarded-For}); a header from anyone else is ignored, so
 * made-up addresses cannot dodge the limit. Over the limit: 429 problem+json with {@code
 * Retry-After}.
 */
public final class RateLimiter {
  private static final long WINDOW_MS = 60_000;
  private static final int MAX_CLIENTS = 100_000;

  private final int perMinute;
  private final TrustedProxies proxies;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private volatile long window = -1;

  public RateLimiter(int perMinute) {
    this(perMinute, TrustedProxies.NONE);
  }

  public RateLimiter(int perMinute, TrustedProxies proxies) {
    this.perMinute = perMinute;
    this.proxies = proxies;
  }

  public void handle(RoutingContext ctx) {
    if (perMinute <= 0) {
      ctx.next();
      return;
    }
    long now = System.currentTimeMillis();
    long current = now / WINDOW_MS;
    if (current != window) {
      synchronized (this) {
        if (current != window) {
          counts.clear();
          window = current;
        }
      }
    }
    if (counts.size() > MAX_CLIENTS) {
      counts.clear(); // a flood of distinct addresses must not grow memory without bound
    }
    int used = counts.computeIfAbsent(client(ctx), k -> new AtomicInteger()).incrementAndGet();
    ctx.response()
        .putHeader("x-ratelimit-limit", Integer.toString(perMinute))
        .putHeader("x-ratelimit-remaining", Integer.toString(Math.max(0, perMinute - used)));
    if (used > perMinute) {
      long retryAfter = Math.max(1, ((current + 1) * WINDOW_MS - now + 999) / 1000);
      ctx.response().putHeader("retry-after", Long.toString(retryAfter));
      ctx.fail(
          new Problem(
              429,
              "Too many requests",
              "more than "
                  + perMinute
                  + " requests in a minute from this client; retry after "
                  + retryAfter
                  + " s",
              null));
      return;
    }
    ctx.next();
  }

  private String client(RoutingContext ctx) {
    var peer = ctx.request().remoteAddress();
    return proxies.client(
        peer == null ? null : peer.hostAddress(),
        ctx.request().headers().getAll("x-forwarded-for"));
  }
}
