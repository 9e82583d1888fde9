package dev.gputracker.worker.scrape.fetch;

import static dev.gputracker.worker.scrape.fetch.TestFetch.await;
import static dev.gputracker.worker.scrape.fetch.TestFetch.fetcher;
import static dev.gputracker.worker.scrape.fetch.TestFetch.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.config.SourceConfig.FetchSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Fetcher politeness: per-host concurrency, rate and user agents")
class FetcherPolitenessTest {

  private TestSite site;
  private Fetcher fetcher;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  @BeforeEach
  void start(Vertx vertx) {
    site = TestSite.start(vertx);
    fetcher = fetcher(vertx);
    // Each response is held 50 ms so that requests overlap if the fetcher lets them.
    site.on(
        "/slow",
        req -> {
          maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          vertx.setTimer(
              50,
              id -> {
                inFlight.decrementAndGet();
                req.response().end("slow");
              });
        });
    site.text("/page", 200, "page");
  }

  @AfterEach
  void stop() throws Exception {
    await(fetcher.close());
  }

  private List<Future<FetchedPage>> fetchMany(int n, String path, FetchSettings settings) {
    List<Future<FetchedPage>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(fetcher.fetch(site.url(path), settings));
    }
    return all;
  }

  @Test
  @DisplayName(
      "20 overlapping requests with a limit of 2 never have more than 2 in flight at the server")
  void concurrencyLimit() throws Exception {
    await(Future.all(fetchMany(20, "/slow", settings().rate(1000, 2).build())));

    assertThat(site.hits("/slow")).isEqualTo(20);
    assertThat(maxInFlight.get()).isEqualTo(2);
  }

  @Test
  @DisplayName("two sources hitting the same host share its limit")
  void limitSharedAcrossSources() throws Exception {
    List<Future<FetchedPage>> all =
        new ArrayList<>(fetchMany(8, "/slow", settings().rate(1000, 2).build()));
    all.addAll(fetchMany(8, "/slow", settings().rate(1000, 2).agents("OtherSource/1.0").build()));
    await(Future.all(all));

    assertThat(site.hits("/slow")).isEqualTo(16);
    assertThat(maxInFlight.get()).isEqualTo(2);
  }

  @Test
  @DisplayName("5 requests at 10 per second arrive spread over ~400 ms, never in a burst")
  void rateLimit() throws Exception {
    long started = System.nanoTime();
    await(Future.all(fetchMany(5, "/page", settings().rate(10, 5).build())));

    List<TestSite.Seen> seen = site.seen("/page");
    assertThat(seen).hasSize(5);
    // robots.txt takes the first 100 ms slot, the pages the next four: timers never fire early, so
    // these bounds
    // hold on a loaded machine too.
    assertThat(TimeUnit.NANOSECONDS.toMillis(seen.get(4).atNanos() - started))
        .isGreaterThanOrEqualTo(390);
    assertThat(TimeUnit.NANOSECONDS.toMillis(seen.get(4).atNanos() - seen.get(0).atNanos()))
        .isBetween(300L, 1500L);
  }

  @Test
  @DisplayName("a source's user agents are used round-robin, one per fetch")
  void rotatesAgents() throws Exception {
    FetchSettings settings = settings().agents("AgentA/1.0", "AgentB/2.0", "AgentC/3.0").build();
    for (int i = 0; i < 4; i++) {
      await(fetcher.fetch(site.url("/page"), settings));
    }

    assertThat(site.seen("/page"))
        .extracting(TestSite.Seen::userAgent)
        .containsExactly("AgentA/1.0", "AgentB/2.0", "AgentC/3.0", "AgentA/1.0");
  }

  @Test
  @DisplayName("without agents of its own a source sends the honest default agent")
  void defaultAgent() throws Exception {
    await(fetcher.fetch(site.url("/page"), settings().build()));

    assertThat(site.seen("/page").get(0).userAgent())
        .startsWith("GPU-Tracker/")
        .contains("respects robots.txt");
  }
}
