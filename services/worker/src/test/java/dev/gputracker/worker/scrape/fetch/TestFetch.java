package dev.gputracker.worker.scrape.fetch;

import dev.gputracker.worker.config.SourceConfig.FetchSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Shared test helpers: settings with fast defaults, a fetcher with short backoff, waiting on
 * futures.
 */
final class TestFetch {

  private TestFetch() {}

  /**
   * Fast and generous: 1000 rps, 8 in flight, 2 s timeouts, 3 retries, 1 MiB bodies, robots obeyed.
   */
  static Settings settings() {
    return new Settings(
        List.of(),
        true,
        1000,
        8,
        Duration.ofSeconds(2),
        Duration.ofSeconds(2),
        3,
        1024 * 1024,
        Optional.empty());
  }

  /** A fetcher whose backoff is milliseconds instead of seconds, so retry tests stay fast. */
  static Fetcher fetcher(Vertx vertx) {
    return new Fetcher(
        vertx,
        FetcherOptions.defaults()
            .withRetry(
                new RetryPolicy(
                    Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMinutes(5))));
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  /** The failure of a future that must fail, as the FetchException it must be. */
  static FetchException failure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FetchException fe) {
        return fe;
      }
      throw new AssertionError("expected a FetchException, got " + e.getCause(), e.getCause());
    }
    throw new AssertionError("expected the fetch to fail, but it succeeded");
  }

  /** A FetchSettings builder with withers, since the record has none. */
  record Settings(
      List<String> userAgents,
      boolean obeyRobots,
      double rps,
      int concurrency,
      Duration connect,
      Duration read,
      int retries,
      long maxBody,
      Optional<URI> proxy) {

    FetchSettings build() {
      return new FetchSettings(
          userAgents, obeyRobots, rps, concurrency, connect, read, retries, maxBody, proxy);
    }

    Settings agents(String... agents) {
      return new Settings(
          List.of(agents), obeyRobots, rps, concurrency, connect, read, retries, maxBody, proxy);
    }

    Settings obeyRobots(boolean on) {
      return new Settings(userAgents, on, rps, concurrency, connect, read, retries, maxBody, proxy);
    }

    Settings rate(double requestsPerSecond, int maxConcurrency) {
      return new Settings(
          userAgents,
          obeyRobots,
          requestsPerSecond,
          maxConcurrency,
          connect,
          read,
          retries,
          maxBody,
          proxy);
    }

    Settings readTimeout(Duration timeout) {
      return new Settings(
          userAgents, obeyRobots, rps, concurrency, connect, timeout, retries, maxBody, proxy);
    }

    Settings retries(int n) {
      return new Settings(
          userAgents, obeyRobots, rps, concurrency, connect, read, n, maxBody, proxy);
    }

    Settings maxBody(long bytes) {
      return new Settings(
          userAgents, obeyRobots, rps, concurrency, connect, read, retries, bytes, proxy);
    }

    Settings proxy(URI uri) {
      return new Settings(
          userAgents,
          obeyRobots,
          rps,
          concurrency,
          connect,
          read,
          retries,
          maxBody,
          Optional.of(uri));
    }
  }
}
