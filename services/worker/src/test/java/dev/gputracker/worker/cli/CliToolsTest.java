package dev.gputracker.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.testing.Fixtures;
import dev.gputracker.worker.demo.DemoMarketplace;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator tools of the worker jar, run as an operator runs them: arguments in, text out. */
class CliToolsTest {

  @Test
  @DisplayName("normalize prints one line per title: the slug, or - for what is not a GPU")
  void normalize() throws Exception {
    String out =
        runWithStdin(
            new NormalizeCommand()::run,
            List.of(),
            "ASUS TUF Gaming GeForce RTX 4090 OC 24GB GDDR6X\nwater block for 4090\nNVIDIA A100 80GB PCIe\n\n");
    assertThat(out.lines().toList()).containsExactly("rtx-4090", "-", "a100-80gb", "-");
  }

  @Test
  @DisplayName("normalize --why says why a title was rejected")
  void normalizeWhy() throws Exception {
    String out = runWithStdin(new NormalizeCommand()::run, List.of("--why"), "RTX 3090 box only\n");
    assertThat(out).startsWith("-\tsuspicious");
  }

  @Test
  @DisplayName("normalize --why names the words it could not place and the nearest catalog model")
  void normalizeWhyNearest() throws Exception {
    String out =
        runWithStdin(
            new NormalizeCommand()::run,
            List.of("--why"),
            "NVIDIA CMP 170HX 8GB mining card\nGeForce GTX 1090 8GB\n");
    List<String> lines = out.lines().toList();
    assertThat(lines.get(0))
        .startsWith(
            "-\tunknown_model: no catalog model for \"cmp 170 hx\"; nearest catalog model: ");
    assertThat(lines.get(1))
        .isEqualTo(
            "-\tunknown_model: no catalog model for \"gtx 1090\"; nearest catalog model: gtx-1080 (GeForce GTX 1080)");
  }

  @Test
  @DisplayName(
      "parse prints one JSON object per listing with every extracted field and the normalised GPU")
  void parse(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      DemoMarketplace demo = new DemoMarketplace("127.0.0.1", 0, 7);
      vertx.deployVerticle(demo).await();
      Buffer page =
          WebClient.create(vertx)
              .get(demo.port(), "127.0.0.1", "/shop/search?page=1")
              .send()
              .await()
              .body();
      Path file = dir.resolve("page1.html");
      Files.write(file, page.getBytes());
      String out =
          runWithStdin(
              new ParseCommand()::run,
              List.of(
                  "--adapter",
                  "demo",
                  "--url",
                  "http://127.0.0.1:" + demo.port() + "/shop/search?page=1",
                  file.toString()),
              "");
      List<JsonObject> rows = out.lines().map(JsonObject::new).toList();
      assertThat(rows).hasSize(24);
      JsonObject first = rows.get(0);
      assertThat(first.fieldNames())
          .contains("external_id", "title", "price", "currency", "url", "sponsored", "gpu");
      assertThat(first.getString("external_id")).isEqualTo(demo.inventory().cards().get(0).id());
      assertThat(first.getString("title")).isEqualTo(demo.inventory().cards().get(0).title());
      assertThat(first.getString("price"))
          .isEqualTo(demo.inventory().cards().get(0).price().toPlainString());
      assertThat(first.getString("currency")).isEqualTo("USD");
      assertThat(first.getString("url"))
          .startsWith("http://127.0.0.1:" + demo.port() + "/shop/item/");
      assertThat(first.getString("gpu")).isEqualTo("rtx-5090");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName(
      "parse on saved real shop pages, which have no memory field, prints the memory each card's title states,"
          + " as a scrape stores it")
  void parseMemoryFromTitles() throws Exception {
    Pattern stated = Pattern.compile("(\\d{1,2})\\s?GB", Pattern.CASE_INSENSITIVE);
    for (String[] page :
        new String[][] {
          {"amazon", "amazon/listings_COM_1.html", "https://www.amazon.com/s?k=rtx+3080"},
          {
            "morele", "morele/listings.html", "https://www.morele.net/kategoria/karty-graficzne-12/"
          },
          {
            "bestbuy-ca",
            "bestbuy-ca/bestbuy.html",
            "https://www.bestbuy.ca/en-ca/category/graphics-cards/20397"
          }
        }) {
      Path file = Fixtures.require(page[1]);
      List<JsonObject> cards =
          runWithStdin(
                  new ParseCommand()::run,
                  List.of("--adapter", page[0], "--url", page[2], file.toString()),
                  "")
              .lines()
              .map(JsonObject::new)
              .filter(
                  r -> r.getString("gpu") != null && stated.matcher(r.getString("title")).find())
              .toList();
      assertThat(cards).as(page[1]).hasSizeGreaterThan(10);
      for (JsonObject card : cards) {
        assertThat(card.getString("vram_gb")).as(card.getString("title")).isNotNull();
        assertThat(card.getString("title"))
            .containsPattern("(?i)\\b" + card.getString("vram_gb") + "\\s?GB");
      }
    }
    Path amazon = Fixtures.require("amazon/listings_COM_1.html");
    JsonObject evga =
        runWithStdin(new ParseCommand()::run, List.of("--adapter", "amazon", amazon.toString()), "")
            .lines()
            .map(JsonObject::new)
            .filter(r -> r.getString("title").startsWith("EVGA GeForce RTX 3080 FTW3"))
            .findFirst()
            .orElseThrow();
    assertThat(evga.getString("vram_gb")).isEqualTo("10");
  }

  @Test
  @DisplayName("parse fails with exit status 2 and a message for a file the adapter cannot read")
  void parseBadFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("junk.html");
    Files.writeString(file, "<html><body>Robot check</body></html>");
    PrintStream err = System.err;
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    try {
      int status =
          new ParseCommand().run(Env.system(), List.of("--adapter", "demo", file.toString()));
      assertThat(status).isEqualTo(2);
    } finally {
      System.setErr(err);
    }
    assertThat(errBytes.toString(StandardCharsets.UTF_8))
        .contains("junk.html")
        .contains("not a demo shop result page");
  }

  @Test
  @DisplayName(
      "parse on a results page whose result markers were renamed exits 2 and says what the page is")
  void parseRedesignedPage(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("redesigned.html");
    Files.writeString(
        file,
        "<html><head><title>Amazon.com : rtx 3080</title></head><body><div"
            + " data-component-type=\"s-search-card\" data-asin=\"B0TEST\"><h2>RTX 3080</h2></div></body></html>");
    PrintStream err = System.err;
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    PrintStream stdout = System.out;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
    try {
      assertThat(
              new ParseCommand()
                  .run(
                      Env.system(),
                      List.of(
                          "--adapter",
                          "amazon",
                          "--url",
                          "https://www.amazon.com/s?k=rtx+3080",
                          file.toString())))
          .isEqualTo(2);
    } finally {
      System.setErr(err);
      System.setOut(stdout);
    }
    assertThat(outBytes.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(errBytes.toString(StandardCharsets.UTF_8))
        .contains("redesigned.html")
        .contains(
            "no listings on https://www.amazon.com/s?k=rtx+3080: the page is a page titled"
                + " 'Amazon.com : rtx 3080' without result markers");
  }

  interface Body {
    int run(Env env, List<String> args) throws Exception;
  }

  private static String runWithStdin(Body command, List<String> args, String stdin)
      throws Exception {
    InputStream in = System.in;
    PrintStream out = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      assertThat(command.run(Env.system(), args)).isZero();
    } finally {
      System.setIn(in);
      System.setOut(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
