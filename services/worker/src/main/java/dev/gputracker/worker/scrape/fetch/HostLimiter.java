package dev.gputracker.worker.scrape.fetch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Politeness for one host:port: at most {@code maxConcurrency} requests in flight, and request
 * starts spaced {@code 1 / requestsPerSecond} apart (a token bucket of depth one).
 *
 * <p>Waiting is a queued promise or a Vert.x timer, never a blocked thread. The limiter is shared
 * by every source hitting the host, so when sources disagree the strictest settings win.
 * Thread-safe: sources may run on different event loops.
 */
final class HostLimiter {

  private final Vertx vertx;
  private final Deque<Promise<Void>> waiting = new ArrayDeque<>();
  private int maxConcurrency;
  private long intervalNanos;
  private int inFlight;
  private long nextStartNanos;

  HostLimiter(Vertx vertx, int maxConcurrency, double requestsPerSecond) {
    this.vertx = vertx;
    this.maxConcurrency = Math.max(1, maxConcurrency);
    this.intervalNanos = interval(requestsPerSecond);
    this.nextStartNanos = System.nanoTime();
  }

  private static long interval(double requestsPerSecond) {
    return requestsPerSecond > 0 ? (long) (TimeUnit.SECONDS.toNanos(1) / requestsPerSecond) : 0L;
  }

  /** Narrows the limits when another source asks for less. */
  synchronized void tighten(int concurrency, double requestsPerSecond) {
    maxConcurrency = Math.min(maxConcurrency, Math.max(1, concurrency));
    intervalNanos = Math.max(intervalNanos, interval(requestsPerSecond));
  }

  /**
   * Waits for a concurrency slot, then for the next rate slot.
   *
   * @return completes when the request may start; the caller must run the returned release exactly
   *     once
   */
  Future<Runnable> acquire() {
    Promise<Void> slot = Promise.promise();
    synchronized (this) {
      if (inFlight < maxConcurrency && waiting.isEmpty()) {
        inFlight++;
        slot.complete();
      } else {
        waiting.add(slot);
      }
    }
    return slot.future().compose(v -> paced()).map(v -> onceRelease());
  }

  private Future<Void> paced() {
    long delayNanos;
    synchronized (this) {
      long now = System.nanoTime();
      long start = Math.max(now, nextStartNanos);
      nextStartNanos = start + intervalNanos;
      delayNanos = start - now;
    }
    long delayMs = TimeUnit.NANOSECONDS.toMillis(delayNanos + 999_999);
    if (delayMs <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> timer = Promise.promise();
    vertx.setTimer(delayMs, id -> timer.complete());
    return timer.future();
  }

  private Runnable onceRelease() {
    boolean[] done = {false};
    return () -> {
      List<Promise<Void>> granted = new ArrayList<>(1);
      synchronized (this) {
        if (done[0]) {
          return;
        }
        done[0] = true;
        inFlight--;
        while (inFlight < maxConcurrency && !waiting.isEmpty()) {
          inFlight++;
          granted.add(waiting.poll());
        }
      }
      // Completed outside the lock: the waiter's continuation starts the next request.
      granted.forEach(Promise::complete);
    };
  }

  synchronized int inFlight() {
    return inFlight;
  }
}
