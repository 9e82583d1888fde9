package dev.gputracker.worker.scrape.fetch;

import static dev.gputracker.worker.scrape.fetch.TestFetch.await;
import static dev.gputracker.worker.scrape.fetch.TestFetch.failure;
import static dev.gputracker.worker.scrape.fetch.TestFetch.fetcher;
import static dev.gputracker.worker.scrape.fetch.TestFetch.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.scrape.fetch.FetchException.Kind;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Fetcher retries, statuses and timeouts")
class FetcherRetryTest {

  private TestSite site;
  private Fetcher fetcher;

  @BeforeEach
  void start(Vertx vertx) {
    site = TestSite.start(vertx);
    fetcher = fetcher(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    await(fetcher.close());
  }

  @Test
  @DisplayName("a burst of 503s is retried until the page comes back")
  void retriesServerErrors() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    site.on(
        "/burst",
        req -> {
          int n = calls.incrementAndGet();
          req.response().setStatusCode(n <= 2 ? 503 : 200).end(n <= 2 ? "busy" : "ok");
        });

    FetchedPage page = await(fetcher.fetch(site.url("/burst"), settings().build()));

    assertThat(page.status()).isEqualTo(200);
    assertThat(new String(page.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
    assertThat(site.hits("/burst")).isEqualTo(3);
  }

  @Test
  @DisplayName("a 429 with Retry-After: 1 waits about a second before trying again")
  void honoursRetryAfter() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    site.on(
        "/limited",
        req -> {
          if (calls.incrementAndGet() == 1) {
            req.response().setStatusCode(429).putHeader("Retry-After", "1").end();
          } else {
            req.response().end("ok");
          }
        });

    long started = System.nanoTime();
    FetchedPage page = await(fetcher.fetch(site.url("/limited"), settings().build()));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(page.status()).isEqualTo(200);
    assertThat(site.hits("/limited")).isEqualTo(2);
    assertThat(elapsedMs).isGreaterThanOrEqualTo(950);
    var times = site.seen("/limited");
    assertThat(TimeUnit.NANOSECONDS.toMillis(times.get(1).atNanos() - times.get(0).atNanos()))
        .isGreaterThanOrEqualTo(950);
  }

  @Test
  @DisplayName("a Retry-After beyond the cap fails at once instead of parking the fetch")
  void retryAfterBeyondCapFails() throws Exception {
    site.on(
        "/later", req -> req.response().setStatusCode(503).putHeader("Retry-After", "3600").end());

    long started = System.nanoTime();
    FetchException e = failure(fetcher.fetch(site.url("/later"), settings().build()));

    assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.getMessage()).contains("Retry-After 3600").contains(site.url("/later").toString());
    assertThat(site.hits("/later")).isEqualTo(1);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
  }

  @Test
  @DisplayName("when retries run out the fetch fails with the last status")
  void retriesExhausted() throws Exception {
    site.text("/down", 503, "down");

    FetchException e = failure(fetcher.fetch(site.url("/down"), settings().retries(2).build()));

    assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.getMessage()).contains(site.url("/down").toString()).doesNotContain("\n");
    assertThat(site.hits("/down")).isEqualTo(3);
  }

  @Test
  @DisplayName("a 404 fails at once as HTTP_STATUS without retrying")
  void notFoundIsNotRetried() throws Exception {
    FetchException e = failure(fetcher.fetch(site.url("/missing"), settings().build()));

    assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
    assertThat(e.status()).isEqualTo(404);
    assertThat(site.hits("/missing")).isEqualTo(1);
  }

  @Test
  @DisplayName("a response that sends its headers and then stalls times out after the read timeout")
  void stalledBodyTimesOut() throws Exception {
    site.on(
        "/stall",
        req ->
            req.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/html")
                .write("<html><body>"));

    long started = System.nanoTime();
    FetchException e =
        failure(
            fetcher.fetch(
                site.url("/stall"),
                settings().readTimeout(Duration.ofMillis(300)).retries(0).build()));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage()).contains("/stall");
    assertThat(elapsedMs).isBetween(250L, 2000L);
  }

  @Test
  @DisplayName("a server that never answers times out after the read timeout")
  void silentServerTimesOut() throws Exception {
    site.on("/silent", req -> {});

    long started = System.nanoTime();
    FetchException e =
        failure(
            fetcher.fetch(
                site.url("/silent"),
                settings().readTimeout(Duration.ofMillis(300)).retries(0).build()));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
  }

  @Test
  @DisplayName("timeouts are retried like other I/O errors")
  void timeoutsAreRetried() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    site.on(
        "/flaky",
        req -> {
          if (calls.incrementAndGet() > 1) {
            req.response().end("ok");
          }
        });

    FetchedPage page =
        await(
            fetcher.fetch(
                site.url("/flaky"),
                settings().readTimeout(Duration.ofMillis(200)).retries(1).build()));

    assertThat(page.status()).isEqualTo(200);
    assertThat(site.hits("/flaky")).isEqualTo(2);
  }

  @Test
  @DisplayName("a closed port fails as REFUSED, saying the connection was refused")
  void refusedConnection(Vertx vertx) throws Exception {
    TestSite gone = TestSite.start(vertx);
    URI url = gone.url("/page");
    await(gone.close());

    FetchException e = failure(fetcher.fetch(url, settings().obeyRobots(false).retries(0).build()));

    assertThat(e.kind()).isEqualTo(Kind.REFUSED);
    assertThat(e.getMessage()).contains("connection refused by 127.0.0.1:" + url.getPort());
    assertThat(e.url()).isEqualTo(url);
  }

  @Test
  @DisplayName("the future completes on the context of the caller")
  void completesOnCallerContext(Vertx vertx) throws Exception {
    site.text("/page", 200, "ok");
    Context caller = vertx.getOrCreateContext();
    Promise<Boolean> sameContext = Promise.promise();

    caller.runOnContext(
        v ->
            fetcher
                .fetch(site.url("/page"), settings().build())
                .onComplete(
                    ar ->
                        sameContext.complete(ar.succeeded() && Vertx.currentContext() == caller)));

    assertThat(await(sameContext.future())).isTrue();
  }

  @Test
  @DisplayName("a non-http URL is rejected without a request")
  void rejectsOtherSchemes() throws Exception {
    FetchException e =
        failure(fetcher.fetch(URI.create("ftp://127.0.0.1/file"), settings().build()));

    assertThat(e.kind()).isEqualTo(Kind.IO);
    assertThat(site.seen()).isEmpty();
  }
}
