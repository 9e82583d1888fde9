package dev.gputracker.worker.scrape.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.scrape.fetch.FetchedPage;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.api.Assertions;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HtmlPagesTest {
  private static FetchedPage page(String contentType, byte[] body) {
    return new FetchedPage(URI.create("https://shop.test/p"), 200, contentType, body);
  }

  @Test
  @DisplayName("UTF-8 pages decode as UTF-8")
  void utf8() {
    byte[] body =
        "<meta charset=\"utf-8\"><p>Karta graficzna — zł</p>".getBytes(StandardCharsets.UTF_8);
    assertThat(HtmlPages.parse(page("text/html; charset=utf-8", body)).selectFirst("p").text())
        .isEqualTo("Karta graficzna — zł");
  }

  @Test
  @DisplayName(
      "ISO-8859-1 bytes under a UTF-8 declaration are read as windows-1252, not as replacement characters")
  void charsetLie() {
    byte[] body =
        "<meta charset=\"utf-8\"><p>Caf\u00e9 \u00e0 1 299,99\u00a0$</p>"
            .getBytes(StandardCharsets.ISO_8859_1);
    String text = HtmlPages.parse(page("text/html; charset=utf-8", body)).selectFirst("p").text();
    assertThat(text).startsWith("Café à 1 299,99").doesNotContain("\uFFFD");
  }

  @Test
  @DisplayName("a declared single-byte charset is honoured, and a truncated page still parses")
  void declaredAndTruncated() {
    byte[] body =
        "<html><head><meta charset=\"windows-1250\"></head><body><p>Zielona Góra</p><div><span>cut"
            .getBytes(Charset.forName("windows-1250"));
    assertThat(HtmlPages.parse(page(null, body)).selectFirst("p").text()).isEqualTo("Zielona Góra");
  }

  @Test
  @DisplayName(
      "the UTF-8 check agrees with the JDK's strict decoder on valid, invalid and cut-off byte sequences")
  void utf8Validation() throws Exception {
    String text = "ASCII, zł, €, 🎮, 한국어";
    byte[] valid = text.getBytes(StandardCharsets.UTF_8);
    assertThat(HtmlPages.isUtf8(valid)).isTrue();
    // Cut inside the four-byte emoji: still UTF-8 (a truncated page), as long as what is there
    // continues it.
    int emoji = new String(valid, StandardCharsets.UTF_8).indexOf("🎮");
    int cut = text.substring(0, emoji).getBytes(StandardCharsets.UTF_8).length + 2;
    assertThat(HtmlPages.isUtf8(Arrays.copyOf(valid, cut))).isTrue();
    byte[][] invalid = {
      {(byte) 0xC0, (byte) 0x80}, // overlong NUL
      {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
      {(byte) 0xE9, 'a', 'b'}, // ISO-8859-1 é in the middle of text
      {(byte) 0x80}, // a lone continuation byte
      {'x', (byte) 0xE2, (byte) 0x82, 'y'}
    }; // a sequence broken before its end
    var strict = StandardCharsets.UTF_8.newDecoder();
    for (byte[] bytes : invalid) {
      assertThat(HtmlPages.isUtf8(bytes)).as(Arrays.toString(bytes)).isFalse();
      Assertions.assertThatThrownBy(() -> strict.decode(ByteBuffer.wrap(bytes)))
          .isInstanceOf(CharacterCodingException.class);
    }
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[1 + random.nextInt(12)];
      random.nextBytes(bytes);
      boolean jdk;
      try {
        strict.decode(ByteBuffer.wrap(bytes));
        jdk = true;
      } catch (CharacterCodingException e) {
        jdk = false;
      }
      if (jdk) {
        assertThat(HtmlPages.isUtf8(bytes)).as(Arrays.toString(bytes)).isTrue();
      }
    }
  }

  @Test
  @DisplayName(
      "valid UTF-8 that itself contains a replacement character stays UTF-8; a cut-off last character too")
  void replacementCharacterInValidText() {
    byte[] body = "<p>Gr\u00f6\u00dfe \uFFFD 24 GB</p>".getBytes(StandardCharsets.UTF_8);
    assertThat(HtmlPages.decode(page("text/html", body))).contains("Größe \uFFFD 24 GB");
    byte[] cut =
        Arrays.copyOf(
            "<p>zł €".getBytes(StandardCharsets.UTF_8),
            "<p>zł €".getBytes(StandardCharsets.UTF_8).length - 1);
    assertThat(HtmlPages.decode(page(null, cut))).startsWith("<p>zł ");
  }

  @Test
  @DisplayName(
      "cutting scripts drops script and style contents and comments, and keeps every element")
  void markupOnly() {
    String html =
        "<html><head><style>p{color:red}</style><SCRIPT type=x>if (a < b) { document.write('<p>no</p>') }"
            + "</SCRIPT></head><body><!-- <p>commented</p> --><p class=a>one</p><script>var s = '<div>';</script>"
            + "<p>two &lt;3</p><script src=x.js></script><style>";
    assertThat(HtmlPages.withoutScripts(html))
        .isEqualTo(
            "<html><head><style></style><SCRIPT type=x></SCRIPT></head>"
                + "<body><p class=a>one</p><script></script><p>two &lt;3</p><script src=x.js></script><style>");
    var doc = Jsoup.parse(HtmlPages.withoutScripts(html));
    assertThat(doc.select("p").eachText()).containsExactly("one", "two <3");
    assertThat(doc.select("script")).hasSize(3);
    assertThat(HtmlPages.withoutScripts("<p>plain</p>")).isEqualTo("<p>plain</p>");
    assertThat(HtmlPages.withoutScripts("<p>a <scripted> b</p><!-- open"))
        .isEqualTo("<p>a <scripted> b</p>");
  }

  @Test
  @DisplayName(
      "region parsing keeps the items and the pagination after them, and falls back to the whole page")
  void region() {
    String html =
        "<html><head><base href=/x/><title>t</title></head><body><nav><a href=/a>nav</a></nav>"
            + "<div class=list><div data-item=\"1\"><h2>One</h2></div><div data-item=\"2\"><h2>Two</h2></div></div>"
            + "<div class=pages><a class=\"next\" href=\"/p2\">Next</a></div><footer><h2>Footer</h2></footer>"
            + "<script>var x = '<h2>no</h2>';</script></body></html>";
    var doc =
        HtmlPages.parseRegion(
            page("text/html", html.getBytes(StandardCharsets.UTF_8)),
            "data-item=",
            "class=\"next\"");
    assertThat(doc.select("h2").eachText()).containsExactly("One", "Two");
    assertThat(doc.selectFirst("a.next").absUrl("href")).isEqualTo("https://shop.test/p2");
    assertThat(doc.select("nav, footer")).isEmpty();
    var whole =
        HtmlPages.parseRegion(
            page("text/html", html.getBytes(StandardCharsets.UTF_8)), "data-missing=", "x");
    assertThat(whole.select("h2").eachText()).containsExactly("One", "Two", "Footer");
    var noEnd =
        HtmlPages.parseRegion(
            page("text/html", html.getBytes(StandardCharsets.UTF_8)), "data-item=", "nope");
    assertThat(noEnd.select("h2").eachText()).containsExactly("One", "Two", "Footer");
  }

  @Test
  @DisplayName("the byte search finds what String.indexOf finds, from any offset")
  void byteSearch() {
    Random random = new Random(11);
    for (int i = 0; i < 5_000; i++) {
      StringBuilder hay = new StringBuilder();
      int length = random.nextInt(60);
      for (int j = 0; j < length; j++) {
        hay.append("abd-<>\"=s".charAt(random.nextInt(9)));
      }
      String needle =
          hay.length() > 0 && random.nextBoolean()
              ? hay.substring(random.nextInt(hay.length()), hay.length())
              : "ab".substring(0, 1 + random.nextInt(2)) + "d-";
      int from = random.nextInt(length + 2) - 1;
      byte[] bytes = hay.toString().getBytes(StandardCharsets.ISO_8859_1);
      int expected = hay.indexOf(needle, Math.max(0, from));
      assertThat(new ByteSearch(needle).in(bytes, from))
          .as("%s in %s from %d", needle, hay, from)
          .isEqualTo(expected);
    }
  }

  @Test
  @DisplayName(
      "the region is cut from the bytes of UTF-8 and single-byte pages, and from the text of UTF-16 ones")
  void regionCharsets() {
    String html =
        "<html><head><meta charset=\"%s\"></head><body><nav><h2>Menü</h2></nav><div class=list>"
            + "<div data-item=\"1\"><h2>Größe €</h2></div><a class=\"next\" href=\"/p2\">Next</a></div>"
            + "<div data-item=\"2\"><h2>Zwei</h2></div><p class=\"next\">again</p><footer><h2>Fuß</h2></footer>";
    for (String charset : new String[] {"utf-8", "windows-1252", "UTF-16LE"}) {
      byte[] body = String.format(html, charset).getBytes(Charset.forName(charset));
      if (charset.startsWith("UTF-16")) {
        body =
            concat(
                new byte[] {(byte) 0xFF, (byte) 0xFE}, body); // a byte-order mark says what it is
      }
      var doc = HtmlPages.parseRegion(page("text/html", body), "data-item=", "class=\"next\"");
      assertThat(doc.select("h2").eachText()).as(charset).containsExactly("Größe €", "Zwei");
      assertThat(doc.select("p.next"))
          .as(charset + ": up to the last start's end marker")
          .hasSize(1);
      assertThat(doc.select("footer")).as(charset).isEmpty();
    }
    // ISO-8859-1 bytes in the region under a UTF-8 declaration: windows-1252, as for a whole page.
    byte[] lie =
        String.format(html, "utf-8").replace("€", "").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(
            HtmlPages.parseRegion(page("text/html", lie), "data-item=", "class=\"next\"")
                .select("h2")
                .eachText())
        .containsExactly("Größe", "Zwei");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
