package dev.gputracker.api.gpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MarketCacheTest {

  @Test
  @DisplayName(
      "requests within the window share one computation, even while it runs; keys are apart")
  void sharesWithinWindow() {
    MarketCache<String> cache = new MarketCache<>(Duration.ofHours(1));
    AtomicInteger computed = new AtomicInteger();
    Promise<String> running = Promise.promise();
    Future<String> first =
        cache.get(
            "a",
            () -> {
              computed.incrementAndGet();
              return running.future();
            });
    Future<String> second =
        cache.get("a", () -> Future.succeededFuture("other " + computed.incrementAndGet()));
    assertThat(second).isSameAs(first);
    running.complete("figures");
    assertThat(cache.get("a", () -> Future.succeededFuture("again")).result()).isEqualTo("figures");
    assertThat(cache.get("b", () -> Future.succeededFuture("b figures")).result())
        .isEqualTo("b figures");
    assertThat(computed).hasValue(1);
  }

  @Test
  @DisplayName(
      "a failed computation is not kept, an expired one is recomputed, and a zero window never caches")
  void failuresAndExpiry() {
    MarketCache<String> cache = new MarketCache<>(Duration.ofHours(1));
    assertThat(cache.get("a", () -> Future.failedFuture("database away")).failed()).isTrue();
    assertThat(cache.get("a", () -> Future.succeededFuture("back")).result()).isEqualTo("back");

    MarketCache<String> expiring = new MarketCache<>(Duration.ofNanos(1));
    expiring.get("a", () -> Future.succeededFuture("old"));
    // Expired: the old figures are served while the new ones are computed; the next reader gets the
    // new ones.
    Promise<String> refresh = Promise.promise();
    assertThat(expiring.get("a", refresh::future).result()).isEqualTo("old");
    refresh.complete("new");
    assertThat(expiring.get("a", () -> Future.succeededFuture("newer")).result()).isEqualTo("new");

    MarketCache<String> off = new MarketCache<>(Duration.ZERO);
    off.get("a", () -> Future.succeededFuture("one"));
    assertThat(off.get("a", () -> Future.succeededFuture("two")).result()).isEqualTo("two");
  }

  @Test
  @DisplayName(
      "after an invalidation no reader gets the old figures, and one computation runs at a time per key")
  void invalidation() {
    MarketCache<String> cache = new MarketCache<>(Duration.ofHours(1));
    Promise<String> slow = Promise.promise();
    Future<String> old = cache.get("a", slow::future);
    cache.invalidate();
    AtomicInteger started = new AtomicInteger();
    Future<String> fresh =
        cache.get(
            "a",
            () -> {
              started.incrementAndGet();
              return Future.succeededFuture("after the change");
            });
    assertThat(started).as("waits for the computation that still runs").hasValue(0);
    assertThat(cache.get("a", () -> Future.succeededFuture("third")))
        .as("shares the queued one")
        .isSameAs(fresh);
    slow.complete("before the change");
    assertThat(old.result()).isEqualTo("before the change");
    assertThat(fresh.result()).isEqualTo("after the change");
    assertThat(started).hasValue(1);
    assertThat(cache.get("a", () -> Future.succeededFuture("again")).result())
        .isEqualTo("after the change");
    cache.invalidate();
    assertThat(cache.get("a", () -> Future.succeededFuture("new")).result()).isEqualTo("new");
  }

  @Test
  @DisplayName(
      "after expire() the next reader gets the last figures at once and starts one refresh")
  void expiry() {
    MarketCache<String> cache = new MarketCache<>(Duration.ofHours(1));
    cache.get("a", () -> Future.succeededFuture("last"));
    cache.expire();
    Promise<String> refresh = Promise.promise();
    assertThat(cache.get("a", refresh::future).result()).isEqualTo("last");
    refresh.complete("refreshed");
    assertThat(cache.get("a", () -> Future.succeededFuture("other")).result())
        .isEqualTo("refreshed");
  }
}
