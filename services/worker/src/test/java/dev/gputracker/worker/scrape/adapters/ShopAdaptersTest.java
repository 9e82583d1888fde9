package dev.gputracker.worker.scrape.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.shared.testing.Fixtures;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.PageParseException;
import dev.gputracker.worker.scrape.PageResult;
import dev.gputracker.worker.scrape.SourceAdapter;
import dev.gputracker.worker.scrape.adapters.amazon.AmazonAdapter;
import dev.gputracker.worker.scrape.adapters.bestbuy.BestBuyCaAdapter;
import dev.gputracker.worker.scrape.adapters.morele.MoreleAdapter;
import dev.gputracker.worker.scrape.adapters.newegg.NeweggAdapter;
import dev.gputracker.worker.scrape.adapters.xkom.XkomAdapter;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The shop adapters on every saved real page of their marketplace (../shared/fixtures): exact
 * counts of listings, priced listings and sponsored ones (as the fixtures README states, verified
 * independently), and several listings field by field.
 */
class ShopAdaptersTest {
  private static final SourceConfig SOURCE =
      new SourceConfig(
          "shop",
          "amazon",
          URI.create("https://shop.test/"),
          true,
          1,
          SourceConfig.FetchSettings.defaults(),
          new JsonObject());

  private static PageResult parse(SourceAdapter adapter, String fixture, String url)
      throws Exception {
    byte[] body = Files.readAllBytes(Fixtures.require(fixture));
    return adapter.parse(
        new FetchedPage(URI.create(url), 200, "text/html; charset=utf-8", body), SOURCE);
  }

  private static ScrapedListing byId(List<ScrapedListing> listings, String id) {
    return listings.stream().filter(l -> l.externalId().equals(id)).findFirst().orElseThrow();
  }

  private static long priced(List<ScrapedListing> l) {
    return l.stream().filter(x -> x.price() != null).count();
  }

  private static long sponsored(List<ScrapedListing> l) {
    return l.stream().filter(ScrapedListing::sponsored).count();
  }

  @Test
  @DisplayName(
      "Amazon.com: 29 results, 25 priced, 5 sponsored; the current price, never the struck-through one")
  void amazonCom() throws Exception {
    PageResult page =
        parse(
            new AmazonAdapter(),
            "amazon/listings_COM_1.html",
            "https://www.amazon.com/s?k=rtx+3080");
    List<ScrapedListing> l = page.listings();
    assertThat(l).hasSize(29);
    assertThat(priced(l)).isEqualTo(25);
    assertThat(sponsored(l)).isEqualTo(5);
    ScrapedListing first = l.get(0);
    assertThat(first.externalId()).isEqualTo("B09FSWGS7L");
    assertThat(first.title()).startsWith("MSI Gaming GeForce RTX 3080 LHR 10GB GDRR6X 320-Bit");
    assertThat(first.price()).isEqualByComparingTo("879.99");
    assertThat(first.currency()).isEqualTo("USD");
    assertThat(first.url()).isEqualTo("https://www.amazon.com/dp/B09FSWGS7L");
    assertThat(byId(l, "B09Q3DH7V3").price()).isEqualByComparingTo("1329.99");
    assertThat(byId(l, "B09SP8X39H").sponsored()).isTrue();
    assertThat(byId(l, "B0995S7548").price()).as("a result without a price keeps none").isNull();
    assertThat(page.next())
        .hasValueSatisfying(
            n ->
                assertThat(n.toString())
                    .startsWith("https://www.amazon.com/s?k=rtx+3080")
                    .contains("page=2"));
  }

  @Test
  @DisplayName("Amazon.de (English UI): 22 results, 18 priced, 6 sponsored, prices in EUR")
  void amazonDe() throws Exception {
    List<ScrapedListing> l =
        parse(
                new AmazonAdapter(),
                "amazon/listings_DE_1.html",
                "https://www.amazon.de/-/en/s?k=rtx+3080")
            .listings();
    assertThat(l).hasSize(22);
    assertThat(priced(l)).isEqualTo(18);
    assertThat(sponsored(l)).isEqualTo(6);
    ScrapedListing first = l.get(0);
    assertThat(first.externalId()).isEqualTo("B095YBSNNC");
    assertThat(first.price()).isEqualByComparingTo("1699.00");
    assertThat(first.currency()).isEqualTo("EUR");
    assertThat(first.url()).isEqualTo("https://www.amazon.de/dp/B095YBSNNC");
    assertThat(byId(l, "B08HN51T8Q").price()).isEqualByComparingTo("2053.25");
  }

  @Test
  @DisplayName("Amazon: a robot-check page fails with a reason; an empty page yields nothing")
  void amazonRobotCheck() throws Exception {
    FetchedPage captcha =
        new FetchedPage(
            URI.create("https://www.amazon.com/s?k=x"),
            200,
            "text/html",
            "<html><body><form action=\"/errors/validateCaptcha\"></form></body></html>"
                .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> new AmazonAdapter().parse(captcha, SOURCE))
        .isInstanceOf(PageParseException.class)
        .hasMessageContaining("robot check");
    FetchedPage empty =
        new FetchedPage(URI.create("https://www.amazon.com/s?k=x"), 200, "text/html", new byte[0]);
    assertThat(new AmazonAdapter().parse(empty, SOURCE).listings()).isEmpty();
  }

  @Test
  @DisplayName(
      "Best Buy CA: 24 priced products in both truncated snapshots, one with ISO-8859-1 bytes under a UTF-8"
          + " meta; the GTX 1050 Ti moved from 299.99 to 359.99 CAD")
  void bestBuy() throws Exception {
    String url = "https://www.bestbuy.ca/en-ca/category/graphics-cards/20397";
    List<ScrapedListing> older =
        parse(new BestBuyCaAdapter(), "bestbuy-ca/bestbuy.2021-10-11_23-22-50.html", url)
            .listings();
    List<ScrapedListing> later =
        parse(new BestBuyCaAdapter(), "bestbuy-ca/bestbuy.html", url).listings();
    assertThat(older).hasSize(24);
    assertThat(later).hasSize(24);
    assertThat(priced(older)).isEqualTo(24);
    assertThat(priced(later)).isEqualTo(24);
    assertThat(byId(older, "10562658").price()).isEqualByComparingTo("299.99");
    assertThat(byId(later, "10562658").price()).isEqualByComparingTo("359.99");
    ScrapedListing first = later.get(0);
    assertThat(first.externalId()).isEqualTo("15463567");
    assertThat(first.title()).isEqualTo("NVIDIA GeForce RTX 3080 10GB GDDR6X Video Card");
    assertThat(first.price()).isEqualByComparingTo("1029.99");
    assertThat(first.currency()).isEqualTo("CAD");
    assertThat(first.url())
        .isEqualTo(
            "https://www.bestbuy.ca/en-ca/product/nvidia-geforce-rtx-3080-10gb-gddr6x-video-card/15463567");
    assertThat(later)
        .allMatch(x -> !x.title().contains("\uFFFD"), "no mojibake from the charset lie");
  }

  @Test
  @DisplayName("morele: 30 products from data attributes, dot-decimal PLN prices, links resolved")
  void morele() throws Exception {
    PageResult page =
        parse(
            new MoreleAdapter(),
            "morele/listings.html",
            "https://www.morele.net/kategoria/karty-graficzne-12/");
    assertThat(page.next()).as("link rel=next").isPresent();
    List<ScrapedListing> l = page.listings();
    assertThat(l).hasSize(30);
    assertThat(priced(l)).isEqualTo(30);
    ScrapedListing first = l.get(0);
    assertThat(first.externalId()).isEqualTo("5948912");
    assertThat(first.title())
        .isEqualTo(
            "Karta graficzna Asus TUF GeForce RTX 3080 Gaming OC 10GB GDDR6X (TUF-RTX3080-O10G-V2-GAMING)");
    assertThat(first.price()).isEqualByComparingTo("5317.73");
    assertThat(first.currency()).isEqualTo("PLN");
    assertThat(first.url())
        .isEqualTo(
            "https://www.morele.net/karta-graficzna-asus-tuf-geforce-rtx-3080-gaming-oc-10gb-gddr6x-tuf-rtx3080-o10g-v2-gaming-5948912/");
  }

  @Test
  @DisplayName("Newegg: the item number as id and a price split across tags")
  void newegg() throws Exception {
    List<ScrapedListing> l =
        parse(new NeweggAdapter(), "newegg/newegg.html", "https://www.newegg.com/p/pl?d=gpu")
            .listings();
    assertThat(l).hasSize(1);
    ScrapedListing item = l.get(0);
    assertThat(item.externalId()).isEqualTo("N82E16814932130");
    assertThat(item.title())
        .startsWith("GIGABYTE GeForce GTX 1660 Ti WINDFORCE OC 6G Graphics Card");
    assertThat(item.price()).isEqualByComparingTo("289.99");
    assertThat(item.currency()).isEqualTo("USD");
    assertThat(item.url())
        .isEqualTo("https://www.newegg.com/Product/Product.aspx?Item=N82E16814932130&ignorebbr=1");
    assertThat(item.seller()).isEqualTo("GIGABYTE");
  }

  @Test
  @DisplayName(
      "random bytes and broken HTML give no listings and no exception but the adapters' own")
  void junk() throws Exception {
    byte[] junk = new byte[4096];
    new Random(3).nextBytes(junk);
    for (SourceAdapter a :
        List.of(
            new AmazonAdapter(),
            new BestBuyCaAdapter(),
            new MoreleAdapter(),
            new NeweggAdapter())) {
      FetchedPage page = new FetchedPage(URI.create("https://shop.test/x"), 200, null, junk);
      assertThat(a.parse(page, SOURCE).listings()).as(a.name()).isEmpty();
      FetchedPage broken =
          new FetchedPage(
              URI.create("https://shop.test/x"),
              200,
              "text/html",
              "<div class=\"cat-product\" data-product-id=\"1\"><a class=\"item-title\"><h2>"
                  .getBytes(StandardCharsets.UTF_8));
      assertThat(a.parse(broken, SOURCE).listings()).as(a.name()).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "x-kom: 30 products anchored on structure (hashed classes), the current price rather than the old one,"
          + " an unavailable product still listed")
  void xkom() throws Exception {
    PageResult page =
        parse(new XkomAdapter(), "xkom/listings.html", "https://www.x-kom.pl/szukaj?q=rtx%203080");
    assertThat(page.next())
        .as("plain ?page=N links")
        .hasValueSatisfying(n -> assertThat(n.getRawQuery()).contains("page=2"));
    List<ScrapedListing> l = page.listings();
    assertThat(l).hasSize(30);
    assertThat(priced(l)).isEqualTo(30);
    ScrapedListing first = l.get(0);
    assertThat(first.externalId()).isEqualTo("669592");
    assertThat(first.title())
        .isEqualTo("Karta graficzna NVIDIA Gigabyte GeForce RTX 3080 GAMING OC LHR 10GB GDDR6X");
    assertThat(first.price())
        .as("4 899,00 zł now, 5 459,00 zł before")
        .isEqualByComparingTo("4899.00");
    assertThat(first.currency()).isEqualTo("PLN");
    assertThat(first.url())
        .isEqualTo(
            "https://www.x-kom.pl/p/669592-karta-graficzna-nvidia-gigabyte-geforce-rtx-3080-gaming-oc-lhr-10gb-gddr6x.html");
    assertThat(byId(l, "659822").price())
        .as("6 999,00 zł struck, 5 199,00 zł now")
        .isEqualByComparingTo("5199.00");
    assertThat(byId(l, "715646").price())
        .as("temporarily unavailable, price as shown")
        .isEqualByComparingTo("5579.00");
  }
}
