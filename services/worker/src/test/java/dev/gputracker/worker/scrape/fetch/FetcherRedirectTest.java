package dev.gputracker.worker.scrape.fetch;

import static dev.gputracker.worker.scrape.fetch.TestFetch.await;
import static dev.gputracker.worker.scrape.fetch.TestFetch.failure;
import static dev.gputracker.worker.scrape.fetch.TestFetch.fetcher;
import static dev.gputracker.worker.scrape.fetch.TestFetch.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.scrape.fetch.FetchException.Kind;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Fetcher redirects")
class FetcherRedirectTest {

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

  private void redirect(String from, int status, String location) {
    site.on(
        from, req -> req.response().setStatusCode(status).putHeader("Location", location).end());
  }

  @Test
  @DisplayName(
      "a chain of relative and absolute redirects ends on the final page, which becomes the page URL")
  void followsChain() throws Exception {
    redirect("/start", 301, "dir/next");
    redirect("/dir/next", 302, site.url("/dir/then").toString());
    redirect("/dir/then", 307, "../final?x=1");
    site.text("/final", 200, "landed");

    FetchedPage page = await(fetcher.fetch(site.url("/start"), settings().build()));

    assertThat(new String(page.body(), StandardCharsets.UTF_8)).isEqualTo("landed");
    assertThat(page.url()).isEqualTo(site.url("/final?x=1"));
    assertThat(site.hits("/dir/next")).isEqualTo(1);
    assertThat(site.hits("/dir/then")).isEqualTo(1);
  }

  @Test
  @DisplayName("a redirect loop fails REDIRECT_LOOP")
  void detectsLoop() throws Exception {
    redirect("/a", 302, "/b");
    redirect("/b", 302, "/a");

    FetchException e = failure(fetcher.fetch(site.url("/a"), settings().build()));

    assertThat(e.kind()).isEqualTo(Kind.REDIRECT_LOOP);
    assertThat(e.getMessage()).contains(site.url("/a").toString());
    assertThat(site.hits("/a")).isEqualTo(1);
  }

  @Test
  @DisplayName("five hops are followed, a sixth fails TOO_MANY_REDIRECTS")
  void limitsHops() throws Exception {
    for (int i = 0; i < 7; i++) {
      redirect("/r" + i, 302, "/r" + (i + 1));
    }
    redirect("/s0", 302, "/s1");
    redirect("/s1", 302, "/s2");
    redirect("/s2", 302, "/s3");
    redirect("/s3", 302, "/s4");
    redirect("/s4", 302, "/s5");
    site.text("/s5", 200, "five hops");

    FetchException e = failure(fetcher.fetch(site.url("/r0"), settings().build()));
    FetchedPage page = await(fetcher.fetch(site.url("/s0"), settings().build()));

    assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_REDIRECTS);
    assertThat(site.hits("/r6")).isZero();
    assertThat(page.url()).isEqualTo(site.url("/s5"));
  }
}
