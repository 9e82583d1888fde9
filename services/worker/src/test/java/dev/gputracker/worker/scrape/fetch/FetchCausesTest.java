package dev.gputracker.worker.scrape.fetch;

import static dev.gputracker.worker.scrape.fetch.TestFetch.await;
import static dev.gputracker.worker.scrape.fetch.TestFetch.failure;
import static dev.gputracker.worker.scrape.fetch.TestFetch.fetcher;
import static dev.gputracker.worker.scrape.fetch.TestFetch.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.scrape.fetch.FetchException.Kind;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Every fetch failure names its cause")
class FetchCausesTest {

  /** RFC 6761 reserves .invalid: no resolver answers it, online or off. */
  private static final URI UNKNOWN_HOST = URI.create("http://gpu-tracker-test.invalid/page");

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
  @DisplayName("an unknown host is a DNS failure naming the host")
  void unknownHost() throws Exception {
    FetchException e =
        failure(fetcher.fetch(UNKNOWN_HOST, settings().obeyRobots(false).retries(0).build()));

    assertThat(e.kind()).isEqualTo(Kind.DNS);
    assertThat(e.getMessage()).contains("unknown host gpu-tracker-test.invalid");
  }

  @Test
  @DisplayName(
      "robots.txt on an unknown host is unreachable by DNS, treated as disallow, never 'disallows it'")
  void robotsOnUnknownHost() throws Exception {
    FetchException e = failure(fetcher.fetch(UNKNOWN_HOST, settings().retries(0).build()));

    assertThat(e.kind()).isEqualTo(Kind.ROBOTS_UNREACHABLE);
    assertThat(e.getMessage())
        .contains("robots.txt unreachable: unknown host gpu-tracker-test.invalid")
        .contains("treated as disallow per RFC 9309")
        .doesNotContain("disallows it");
  }

  @Test
  @DisplayName("robots.txt on a closed port is unreachable: connection refused")
  void robotsOnClosedPort(Vertx vertx) throws Exception {
    TestSite gone = TestSite.start(vertx);
    URI url = gone.url("/page");
    await(gone.close());

    FetchException e = failure(fetcher.fetch(url, settings().retries(0).build()));

    assertThat(e.kind()).isEqualTo(Kind.ROBOTS_UNREACHABLE);
    assertThat(e.getMessage())
        .contains("robots.txt unreachable: connection refused by 127.0.0.1:" + url.getPort());
  }

  @Test
  @DisplayName("a server that never answers is a timeout")
  void timeout() throws Exception {
    site.on("/silent", req -> {});

    FetchException e =
        failure(
            fetcher.fetch(
                site.url("/silent"),
                settings()
                    .obeyRobots(false)
                    .readTimeout(Duration.ofMillis(200))
                    .retries(0)
                    .build()));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage()).contains("timed out");
  }

  @Test
  @DisplayName("TLS spoken to a plain HTTP server is a TLS failure")
  void tls() throws Exception {
    URI https = URI.create("https://127.0.0.1:" + site.port() + "/page");

    FetchException e =
        failure(fetcher.fetch(https, settings().obeyRobots(false).retries(0).build()));

    assertThat(e.kind()).isEqualTo(Kind.TLS);
    assertThat(e.getMessage()).contains("TLS failure");
  }

  @Test
  @DisplayName("an error status names the status")
  void httpStatus() throws Exception {
    site.text("/gone", 410, "gone");

    FetchException e = failure(fetcher.fetch(site.url("/gone"), settings().build()));

    assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
    assertThat(e.status()).isEqualTo(410);
    assertThat(e.getMessage()).contains("HTTP 410");
  }
}
