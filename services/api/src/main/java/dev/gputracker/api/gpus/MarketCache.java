package dev.gputracker.api.gpus;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The market figures of {@code /api/gpus} for a few seconds: they aggregate every active listing
 * (hundreds of milliseconds of PostgreSQL time at 200,000 listings) and change only when the worker
 * writes, so every request in that window shares one computation, including requests that arrive
 * while it is still running. Confined to one event loop (each HTTP verticle has its own), so it
 * needs no locks. A failed computation is not kept. When the window has passed, the figures already
 * computed are still served while one new computation runs (stale while revalidating), so no reader
 * waits for the aggregate: the next readers get the new figures.
 *
 * <p>The worker's writes end the window at once: {@link #invalidate()} is called on each outbox
 * notification (the one the live stream wakes on, sent at commit), and a reader after it gets
 * figures computed after it, never the stale ones. A key has at most one computation running: one
 * asked for while an older one runs starts when that one ends, so a run that commits a page every
 * few milliseconds costs each key one aggregate at a time, not one per page.
 */
final class MarketCache<T> {
  private record Entry<T>(Future<T> value, long expiresAt, long generation) {}

  private final long ttlNanos;
  private final Map<String, Entry<T>> entries = new HashMap<>();

  /**
   * Bumped by every invalidation: an entry computed in an older generation is never served again.
   */
  private long generation;

  MarketCache(Duration ttl) {
    this.ttlNanos = ttl.toNanos();
  }

  /** The data changed: every figure computed so far is out of date. */
  void invalidate() {
    generation++;
  }

  /**
   * The data changed, but readers may keep the figures they have until new ones land: every window
   * ends now, and the next reader of a key starts one refresh and gets the last figures meanwhile
   * (for figures shown beside others, such as a listing's distance from its model's median, where a
   * search must not wait for an aggregate).
   */
  void expire() {
    long now = System.nanoTime();
    entries.replaceAll((key, e) -> new Entry<>(e.value(), now, e.generation()));
  }

  Future<T> get(String key, Supplier<Future<T>> compute) {
    if (ttlNanos <= 0) {
      return compute.get();
    }
    long now = System.nanoTime();
    Entry<T> entry = entries.get(key);
    if (entry != null && entry.generation() == generation) {
      if (now - entry.expiresAt() < 0) {
        return entry.value();
      }
      if (entry.value().succeeded()) {
        // Expired: refresh once in the background; until it lands, readers get the figures they
        // had.
        entries.put(key, new Entry<>(entry.value(), now + ttlNanos, generation));
        long started = generation;
        Future<T> fresh = compute.get();
        fresh.onSuccess(
            v -> {
              if (started == generation) {
                entries.put(key, new Entry<>(fresh, System.nanoTime() + ttlNanos, started));
              }
            });
        return entry.value();
      }
    }
    if (entries.size() > 256) {
      entries.clear(); // keys are few (vendor × listed × sort × slug); this only bounds hostile
      // variety
    }
    // Missing, failed, or from before an invalidation: a computation that starts now, or as soon as
    // the older one of
    // this key that still runs has ended (its snapshot may predate the change).
    Future<T> running = entry == null || entry.value().isComplete() ? null : entry.value();
    Future<T> value = running == null ? compute.get() : running.transform(ar -> compute.get());
    Entry<T> created = new Entry<>(value, now + ttlNanos, generation);
    entries.put(key, created);
    value.onFailure(e -> entries.remove(key, created));
    return value;
  }
}
