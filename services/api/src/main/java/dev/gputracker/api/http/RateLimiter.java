package dev.gputracker.api.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A per-client request limit over fixed one-minute windows, shared by every event loop of the process. The client
 * is the first {@code X-Forwarded-For} address when a proxy sets one (as PaaS routers do), else the peer address.
 * Over the limit: 429 problem+json with {@code Retry-After}.
 */
public final class RateLimiter {
  private static final long WINDOW_MS = 60_000;
  private static final int MAX_CLIENTS = 100_000;

  private final int perMinute;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private volatile long window = -1;

  public RateLimiter(int perMinute) {
    this.perMinute = perMinute;
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
    ctx.response().putHeader("x-ratelimit-limit", Integer.toString(perMinute))
        .putHeader("x-ratelimit-remaining", Integer.toString(Math.max(0, perMinute - used)));
    if (used > perMinute) {
      long retryAfter = Math.max(1, ((current + 1) * WINDOW_MS - now + 999) / 1000);
      ctx.response().putHeader("retry-after", Long.toString(retryAfter));
      ctx.fail(new Problem(429, "Too many requests", "more than " + perMinute
          + " requests in a minute from this client; retry after " + retryAfter + " s", null));
      return;
    }
    ctx.next();
  }

  private static String client(RoutingContext ctx) {
    String forwarded = ctx.request().getHeader("x-forwarded-for");
    if (forwarded != null && !forwarded.isBlank()) {
      int comma = forwarded.indexOf(',');
      String first = (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
      return first.length() > 64 ? first.substring(0, 64) : first;
    }
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
  }
}
