package dev.gputracker.worker.scrape.fetch;

import static dev.gputracker.worker.scrape.fetch.TestFetch.await;
import static dev.gputracker.worker.scrape.fetch.TestFetch.failure;
import static dev.gputracker.worker.scrape.fetch.TestFetch.fetcher;
import static dev.gputracker.worker.scrape.fetch.TestFetch.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.scrape.fetch.FetchException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Fetcher obeys robots.txt")
class FetcherRobotsTest {

  private TestSite site;
  private Fetcher fetcher;

  @BeforeEach
  void start(Vertx vertx) {
    site = TestSite.start(vertx);
    fetcher = fetcher(vertx);
    site.text("/private", 200, "secret");
    site.text("/public", 200, "hello");
  }

  @AfterEach
  void stop() throws Exception {
    await(fetcher.close());
  }

  @Test
  @DisplayName(
      "a disallowed path fails ROBOTS_DISALLOWED without being requested; an allowed one is fetched")
  void disallowedPathNeverRequested() throws Exception {
    site.text("/robots.txt", 200, "User-agent: *\nDisallow: /private\n");

    FetchException e = failure(fetcher.fetch(site.url("/private"), settings().build()));
    FetchedPage page = await(fetcher.fetch(site.url("/public"), settings().build()));

    assertThat(e.kind()).isEqualTo(Kind.ROBOTS_DISALLOWED);
    assertThat(e.getMessage()).contains(site.url("/private").toString());
    assertThat(site.hits("/private")).isZero();
    assertThat(page.status()).isEqualTo(200);
  }

  @Test
  @DisplayName("robots.txt is read once per host and cached, even when fetches start together")
  void robotsFetchedOnce() throws Exception {
    site.text("/robots.txt", 200, "User-agent: *\nDisallow: /private\n");

    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(fetcher.fetch(site.url("/public"), settings().build()));
    }
    await(Future.all(all));

    assertThat(site.hits("/robots.txt")).isEqualTo(1);
    assertThat(site.hits("/public")).isEqualTo(5);
  }

  @Test
  @DisplayName("obeyRobots=false fetches a disallowed page")
  void robotsSwitchedOff() throws Exception {
    site.text("/robots.txt", 200, "User-agent: *\nDisallow: /\n");

    FetchedPage page =
        await(fetcher.fetch(site.url("/private"), settings().obeyRobots(false).build()));

    assertThat(page.status()).isEqualTo(200);
    assertThat(site.hits("/private")).isEqualTo(1);
    assertThat(site.hits("/robots.txt")).isZero();
  }

  @Test
  @DisplayName("a redirect into a disallowed path is stopped before that hop is requested")
  void redirectHopsAreChecked() throws Exception {
    site.text("/robots.txt", 200, "User-agent: *\nDisallow: /private\n");
    site.on(
        "/moved", req -> req.response().setStatusCode(301).putHeader("Location", "/private").end());

    FetchException e = failure(fetcher.fetch(site.url("/moved"), settings().build()));

    assertThat(e.kind()).isEqualTo(Kind.ROBOTS_DISALLOWED);
    assertThat(e.url()).isEqualTo(site.url("/private"));
    assertThat(site.hits("/private")).isZero();
  }

  @Test
  @DisplayName("the group of our product token wins over '*'")
  void ownGroupApplies() throws Exception {
    site.text(
        "/robots.txt",
        200,
        "User-agent: *\nDisallow: /\n\nUser-agent: GPU-Tracker\nAllow: /public\n"
            + "Disallow: /private\n");

    FetchedPage page = await(fetcher.fetch(site.url("/public"), settings().build()));
    FetchException e = failure(fetcher.fetch(site.url("/private"), settings().build()));

    assertThat(page.status()).isEqualTo(200);
    assertThat(e.kind()).isEqualTo(Kind.ROBOTS_DISALLOWED);
  }

  @Test
  @DisplayName("a missing robots.txt (404) allows everything")
  void missingRobotsAllows() throws Exception {
    FetchedPage page = await(fetcher.fetch(site.url("/private"), settings().build()));

    assertThat(page.status()).isEqualTo(200);
    assertThat(site.hits("/robots.txt")).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "a robots.txt answering 503 disallows the host for now, saying it was unreachable, not a disallow")
  void unreachableRobotsDisallows() throws Exception {
    site.text("/robots.txt", 503, "down");

    FetchException e = failure(fetcher.fetch(site.url("/public"), settings().retries(0).build()));

    assertThat(e.kind()).isEqualTo(Kind.ROBOTS_UNREACHABLE);
    assertThat(e.getMessage())
        .contains("robots.txt unreachable: HTTP 503; treated as disallow per RFC 9309")
        .doesNotContain("disallows it");
    assertThat(site.hits("/public")).isZero();
  }

  @Test
  @DisplayName("a robots.txt over 500 KiB is truncated, and the rules before the cut still apply")
  void hugeRobotsTruncated() throws Exception {
    String rules = "User-agent: *\nDisallow: /private\n";
    String padding = "# padding line to make the file large\n".repeat(20_000);
    site.text("/robots.txt", 200, rules + padding + "Disallow: /public\n");

    FetchedPage page = await(fetcher.fetch(site.url("/public"), settings().build()));
    FetchException e = failure(fetcher.fetch(site.url("/private"), settings().build()));

    assertThat((rules + padding).length()).isGreaterThan(Fetcher.ROBOTS_MAX_BYTES);
    assertThat(page.status()).isEqualTo(200);
    assertThat(e.kind()).isEqualTo(Kind.ROBOTS_DISALLOWED);
  }
}
