package dev.gputracker.worker.scrape.fetch;

import static dev.gputracker.worker.scrape.fetch.TestFetch.await;
import static dev.gputracker.worker.scrape.fetch.TestFetch.failure;
import static dev.gputracker.worker.scrape.fetch.TestFetch.fetcher;
import static dev.gputracker.worker.scrape.fetch.TestFetch.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.scrape.fetch.FetchException.Kind;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Fetcher through an HTTP proxy")
class FetcherProxyTest {

  private TestSite site;
  private Fetcher fetcher;
  private HttpServer proxy;
  private HttpClient upstream;
  private final List<String> proxied = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    site = TestSite.start(vertx);
    site.text("/page", 200, "via proxy");
    fetcher = fetcher(vertx);
    upstream = vertx.createHttpClient();
    // A tiny forward proxy: absolute-URI GETs are replayed upstream and the answer copied back.
    proxy = vertx.createHttpServer().requestHandler(this::forward).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() throws Exception {
    await(fetcher.close());
  }

  private void forward(HttpServerRequest req) {
    proxied.add(req.uri());
    RequestOptions options =
        new RequestOptions()
            .setMethod(req.method())
            .setAbsoluteURI(req.uri())
            .putHeader("User-Agent", req.getHeader("User-Agent"));
    upstream
        .request(options)
        .compose(r -> r.send())
        .compose(
            resp ->
                resp.body()
                    .map(
                        body -> {
                          req.response().setStatusCode(resp.statusCode());
                          if (resp.getHeader("Content-Type") != null) {
                            req.response()
                                .putHeader("Content-Type", resp.getHeader("Content-Type"));
                          }
                          return req.response().end(body);
                        }))
        .onFailure(err -> req.response().setStatusCode(502).end());
  }

  @Test
  @DisplayName("with a proxy set, the page and its robots.txt are requested through the proxy")
  void fetchesThroughProxy() throws Exception {
    URI proxyUri = URI.create("http://127.0.0.1:" + proxy.actualPort());

    FetchedPage page = await(fetcher.fetch(site.url("/page"), settings().proxy(proxyUri).build()));

    assertThat(new String(page.body(), StandardCharsets.UTF_8)).isEqualTo("via proxy");
    assertThat(proxied)
        .containsExactly(site.url("/robots.txt").toString(), site.url("/page").toString());
    assertThat(site.hits("/page")).isEqualTo(1);
  }

  @Test
  @DisplayName("without a proxy the request goes straight to the site")
  void directWithoutProxy() throws Exception {
    await(fetcher.fetch(site.url("/page"), settings().build()));

    assertThat(proxied).isEmpty();
    assertThat(site.hits("/page")).isEqualTo(1);
  }

  @Test
  @DisplayName("an unsupported proxy scheme fails the fetch as IO without a request")
  void badProxyScheme() throws Exception {
    FetchException e =
        failure(
            fetcher.fetch(
                site.url("/page"), settings().proxy(URI.create("ftp://127.0.0.1:21")).build()));

    assertThat(e.kind()).isEqualTo(Kind.IO);
    assertThat(e.getMessage()).contains("unsupported proxy scheme");
    assertThat(site.seen()).isEmpty();
  }

  @Test
  @DisplayName("proxy credentials in the URI become proxy options; SOCKS5 is recognised")
  void proxyOptions() {
    var http = Fetcher.proxyOptions(URI.create("http://user:p%40ss@proxy.local:3128"));
    var socks = Fetcher.proxyOptions(URI.create("socks5://127.0.0.1"));

    assertThat(http.getType().name()).isEqualTo("HTTP");
    assertThat(http.getPort()).isEqualTo(3128);
    assertThat(http.getUsername()).isEqualTo("user");
    assertThat(http.getPassword()).isEqualTo("p@ss");
    assertThat(socks.getType().name()).isEqualTo("SOCKS5");
    assertThat(socks.getPort()).isEqualTo(1080);
  }
}
