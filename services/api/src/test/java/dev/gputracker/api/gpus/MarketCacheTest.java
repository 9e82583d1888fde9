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
  @DisplayName("requests within the window share one computation, even while it runs; keys are apart")
  void sharesWithinWindow() {
    MarketCache<String> cache = new MarketCache<>(Duration.ofHours(1));
    AtomicInteger computed = new AtomicInteger();
    Promise<String> running = Promise.promise();
    Future<String> first = cache.get("a", () -> {
      computed.incrementAndGet();
      return running.future();
    });
    Future<String> second = cache.get("a", () -> Future.succeededFuture("other " + computed.incrementAndGet()));
    assertThat(second).isSameAs(first);
    running.complete("figures");
    assertThat(cache.get("a", () -> Future.succeededFuture("again")).result()).isEqualTo("figures");
    assertThat(cache.get("b", () -> Future.succeededFuture("b figures")).result()).isEqualTo("b figures");
    assertThat(computed).hasValue(1);
  }

  @Test
  @DisplayName("a failed computation is not kept, an expired one is recomputed, and a zero window never caches")
  void failuresAndExpiry() {
    MarketCache<String> cache = new MarketCache<>(Duration.ofHours(1));
    assertThat(cache.get("a", () -> Future.failedFuture("database away")).failed()).isTrue();
    assertThat(cache.get("a", () -> Future.succeededFuture("back")).result()).isEqualTo("back");

    MarketCache<String> expiring = new MarketCache<>(Duration.ofNanos(1));
    expiring.get("a", () -> Future.succeededFuture("old"));
    // Expired: the old figures are served while the new ones are computed; the next reader gets the new ones.
    Promise<String> refresh = Promise.promise();
    assertThat(expiring.get("a", refresh::future).result()).isEqualTo("old");
    refresh.complete("new");
    assertThat(expiring.get("a", () -> Future.succeededFuture("newer")).result()).isEqualTo("new");

    MarketCache<String> off = new MarketCache<>(Duration.ZERO);
    off.get("a", () -> Future.succeededFuture("one"));
    assertThat(off.get("a", () -> Future.succeededFuture("two")).result()).isEqualTo("two");
  }
}
