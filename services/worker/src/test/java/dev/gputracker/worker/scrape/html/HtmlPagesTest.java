package dev.gputracker.worker.scrape.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.scrape.FetchedPage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HtmlPagesTest {
  private static FetchedPage page(String contentType, byte[] body) {
    return new FetchedPage(URI.create("https://shop.test/p"), 200, contentType, body);
  }

  @Test
  @DisplayName("UTF-8 pages decode as UTF-8")
  void utf8() {
    byte[] body = "<meta charset=\"utf-8\"><p>Karta graficzna — zł</p>".getBytes(StandardCharsets.UTF_8);
    assertThat(HtmlPages.parse(page("text/html; charset=utf-8", body)).selectFirst("p").text())
        .isEqualTo("Karta graficzna — zł");
  }

  @Test
  @DisplayName("ISO-8859-1 bytes under a UTF-8 declaration are read as windows-1252, not as replacement characters")
  void charsetLie() {
    byte[] body = "<meta charset=\"utf-8\"><p>Caf\u00e9 \u00e0 1 299,99\u00a0$</p>".getBytes(StandardCharsets.ISO_8859_1);
    String text = HtmlPages.parse(page("text/html; charset=utf-8", body)).selectFirst("p").text();
    assertThat(text).startsWith("Café à 1 299,99").doesNotContain("\uFFFD");
  }

  @Test
  @DisplayName("a declared single-byte charset is honoured, and a truncated page still parses")
  void declaredAndTruncated() {
    byte[] body = "<html><head><meta charset=\"windows-1250\"></head><body><p>Zielona Góra</p><div><span>cut"
        .getBytes(java.nio.charset.Charset.forName("windows-1250"));
    assertThat(HtmlPages.parse(page(null, body)).selectFirst("p").text()).isEqualTo("Zielona Góra");
  }
}
