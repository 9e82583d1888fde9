package dev.gputracker.worker.scrape.fetch;

import static dev.gputracker.worker.scrape.fetch.TestFetch.await;
import static dev.gputracker.worker.scrape.fetch.TestFetch.failure;
import static dev.gputracker.worker.scrape.fetch.TestFetch.fetcher;
import static dev.gputracker.worker.scrape.fetch.TestFetch.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.scrape.fetch.FetchException.Kind;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Fetcher bodies: size limit, raw bytes, gzip")
class FetcherBodyTest {

  private static final long FIFTY_MB = 50L * 1024 * 1024;
  private static final long ONE_MB = 1024 * 1024;

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

  /**
   * Streams {@code total} bytes with back-pressure, counting what it managed to write before the
   * peer left.
   */
  private static void stream(
      HttpServerResponse response, long total, AtomicLong written, Promise<Void> closed) {
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    response.closeHandler(v -> closed.tryComplete());
    Runnable[] pump = new Runnable[1];
    pump[0] =
        () -> {
          while (!closed.future().isComplete()
              && written.get() < total
              && !response.writeQueueFull()) {
            response.write(chunk);
            written.addAndGet(chunk.length());
          }
          if (written.get() >= total) {
            response.end();
          } else if (!closed.future().isComplete()) {
            response.drainHandler(v -> pump[0].run());
          }
        };
    pump[0].run();
  }

  @Test
  @DisplayName(
      "a 50 MB streamed body with a 1 MB limit fails TOO_LARGE and the connection is cut early")
  void streamedBodyOverLimit() throws Exception {
    AtomicLong written = new AtomicLong();
    Promise<Void> closed = Promise.promise();
    site.on("/huge", req -> stream(req.response().setChunked(true), FIFTY_MB, written, closed));

    long started = System.nanoTime();
    FetchException e =
        failure(fetcher.fetch(site.url("/huge"), settings().maxBody(ONE_MB).build()));
    await(closed.future());

    assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
    assertThat(e.getMessage()).contains("/huge");
    assertThat(written.get()).isLessThan(FIFTY_MB / 4);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3000);
    assertThat(site.hits("/huge")).as("too large is not retried").isEqualTo(1);
  }

  @Test
  @DisplayName("a declared Content-Length over the limit fails before the body is read")
  void declaredLengthOverLimit() throws Exception {
    AtomicLong written = new AtomicLong();
    Promise<Void> closed = Promise.promise();
    site.on(
        "/declared",
        req ->
            stream(
                req.response().putHeader("Content-Length", Long.toString(FIFTY_MB)),
                FIFTY_MB,
                written,
                closed));

    FetchException e =
        failure(fetcher.fetch(site.url("/declared"), settings().maxBody(ONE_MB).build()));
    await(closed.future());

    assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
    assertThat(e.getMessage()).contains("Content-Length " + FIFTY_MB);
    assertThat(written.get()).isLessThan(FIFTY_MB / 4);
  }

  @Test
  @DisplayName("a body exactly at the limit is accepted")
  void bodyAtLimit() throws Exception {
    byte[] bytes = new byte[4096];
    site.on("/exact", req -> req.response().end(Buffer.buffer(bytes)));

    FetchedPage page = await(fetcher.fetch(site.url("/exact"), settings().maxBody(4096).build()));

    assertThat(page.body()).hasSize(4096);
  }

  @Test
  @DisplayName("broken HTML bytes come back unchanged")
  void brokenHtmlUnchanged() throws Exception {
    byte[] broken = {
      '<',
      'h',
      't',
      'm',
      'l',
      '>',
      '<',
      'd',
      'i',
      'v',
      (byte) 0xff,
      (byte) 0xfe,
      0,
      (byte) 0xc3,
      '<',
      '/',
      'p',
      (byte) 0x80,
      '&',
      'a',
      'm'
    };
    site.on(
        "/broken",
        req -> req.response().putHeader("Content-Type", "text/html").end(Buffer.buffer(broken)));

    FetchedPage page = await(fetcher.fetch(site.url("/broken"), settings().build()));

    assertThat(page.body()).containsExactly(broken);
    assertThat(page.contentType()).isEqualTo("text/html");
    assertThat(page.url()).isEqualTo(site.url("/broken"));
  }

  @Test
  @DisplayName("ISO-8859-1 bytes labelled utf-8 come back as sent, with the header as sent")
  void wrongCharsetUnchanged() throws Exception {
    byte[] latin1 =
        "<p>Prix : 1 299 € caf\u00e9</p>".replace("€", "EUR").getBytes(StandardCharsets.ISO_8859_1);
    site.on(
        "/latin",
        req ->
            req.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .end(Buffer.buffer(latin1)));

    FetchedPage page = await(fetcher.fetch(site.url("/latin"), settings().build()));

    assertThat(page.body()).containsExactly(latin1);
    assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
  }

  @Test
  @DisplayName("gzip is asked for and a gzipped body comes back decompressed")
  void gzipDecoded() throws Exception {
    String text = "<html>" + "RTX 4090 24 GB ".repeat(2000) + "</html>";
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    site.on(
        "/zipped",
        req ->
            req.response()
                .putHeader("Content-Type", "text/html")
                .putHeader("Content-Encoding", "gzip")
                .end(Buffer.buffer(zipped.toByteArray())));

    FetchedPage page = await(fetcher.fetch(site.url("/zipped"), settings().build()));

    assertThat(new String(page.body(), StandardCharsets.UTF_8)).isEqualTo(text);
    assertThat(site.seen("/zipped").get(0).acceptEncoding()).contains("gzip");
  }

  @Test
  @DisplayName(
      "the size limit counts decompressed bytes, so a small gzip bomb still fails TOO_LARGE")
  void gzipBombTooLarge() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      byte[] zeros = new byte[1024 * 1024];
      for (int i = 0; i < 8; i++) {
        gz.write(zeros);
      }
    }
    assertThat(zipped.size()).isLessThan(100_000);
    site.on(
        "/bomb",
        req ->
            req.response()
                .putHeader("Content-Encoding", "gzip")
                .end(Buffer.buffer(zipped.toByteArray())));

    FetchException e =
        failure(fetcher.fetch(site.url("/bomb"), settings().maxBody(ONE_MB).build()));

    assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
  }
}
