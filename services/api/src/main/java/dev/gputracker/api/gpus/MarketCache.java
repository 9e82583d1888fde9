package dev.gputracker.api.gpus;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The market figures of {@code /api/gpus} for a few seconds: they aggregate every active listing (hundreds of
 * milliseconds of PostgreSQL time at 200,000 listings) and change only when the worker writes, so every request in
 * that window shares one computation, including requests that arrive while it is still running. Confined to one
 * event loop (each HTTP verticle has its own), so it needs no locks. A failed computation is not kept. When the
 * window has passed, the figures already computed are still served while one new computation runs (stale while
 * revalidating), so no reader waits for the aggregate: the next readers get the new figures.
 */
final class MarketCache<T> {
  private record Entry<T>(Future<T> value, long expiresAt) {}

  private final long ttlNanos;
  private final Map<String, Entry<T>> entries = new HashMap<>();

  MarketCache(Duration ttl) {
    this.ttlNanos = ttl.toNanos();
  }

  Future<T> get(String key, Supplier<Future<T>> compute) {
    if (ttlNanos <= 0) {
      return compute.get();
    }
    long now = System.nanoTime();
    Entry<T> entry = entries.get(key);
    if (entry != null && now - entry.expiresAt() < 0) {
      return entry.value();
    }
    if (entry != null && entry.value().succeeded()) {
      // Expired: refresh once in the background; until it lands, readers get the figures they had.
      entries.put(key, new Entry<>(entry.value(), now + ttlNanos));
      Future<T> fresh = compute.get();
      fresh.onSuccess(v -> entries.put(key, new Entry<>(fresh, System.nanoTime() + ttlNanos)));
      return entry.value();
    }
    if (entries.size() > 256) {
      entries.clear(); // keys are few (vendor × listed × sort × slug); this only bounds hostile variety
    }
    Future<T> value = compute.get();
    Entry<T> created = new Entry<>(value, now + ttlNanos);
    entries.put(key, created);
    value.onFailure(e -> entries.remove(key, created));
    return value;
  }
}
