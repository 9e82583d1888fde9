package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The listing page in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, which {@code .ci/run} installs): it loads, shows market cards with trends and
 * the buy-vs-rent panel, filters by GPU, sorts by price, opens a listing's price history chart, and
 * lists what was kept out of the market by reason. Screenshots are kept in {@code target/browser/}.
 * Skipped, saying why, where the browser is not installed.
 */
class BrowserTest {
  private static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));
  private static final Path SHOTS = Path.of("target", "browser");

  private static ApiServer server;
  private static ChromeDriver driver;
  private static WebDriverWait wait;
  private static String base;
  private static DatabaseUrl db;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "headless Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does): "
            + CHROMIUM
            + ", "
            + CHROMEDRIVER);
    db = TestDatabases.fresh();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://shop/'),"
              + " ('cloud', 'demo-cloud', 'http://cloud/')");
      st.execute(
          "UPDATE sources SET health = 'suspect', health_reason = 'listings read fell to 2 from a median of 20'"
              + " WHERE name = 'cloud'");
      String cols =
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
              + " price_usd, gpu_count, url, first_seen_at, last_seen_at, updated_at, price_changed_at) VALUES ";
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        values
            .append(values.length() == 0 ? "" : ",")
            .append("(1, 'r")
            .append(i)
            .append("', 'sale', 'ASUS RTX 4090 #")
            .append(i)
            .append("', 'rtx-4090', ")
            .append(1900 - i * 50)
            .append(", 'USD', 'total', ")
            .append(1900 - i * 50)
            .append(", 1, 'http://shop/r")
            .append(i)
            .append("', now() - interval '60 days', now() - interval '")
            .append(i)
            .append(" minutes', now(), now())");
      }
      // An RTX 4080 seen by two runs today, five hours apart: 1100 USD, then 1050.
      values.append(
          ", (1, 'e1', 'sale', 'Gainward RTX 4080 e1', 'rtx-4080', 1050, 'USD', 'total', 1050, 1,"
              + " 'http://shop/e1', now() - interval '5 hours', now(), now(), now() - interval '1 hour')");
      values.append(
          ", (1, 'x1', 'sale', 'Sapphire RX 7900 XTX', 'rx-7900-xtx', 899, 'USD', 'total', 899, 1,"
              + " 'http://shop/x1', now() - interval '30 days', now(), now(), now())");
      values.append(
          ", (2, 'c1', 'rental', '1x RTX 4090', 'rtx-4090', 0.40, 'USD', 'hour', 0.40, 1, NULL,"
              + " now() - interval '30 days', now(), now(), now())");
      st.execute(cols + values);
      // The cheapest 4090 (r5, 1650 USD now) went 1800 -> 1700 -> 1650 over eight weeks.
      st.execute(
          "INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd)"
              + " SELECT id, now() - interval '56 days', 1800, 'USD', 1800 FROM listings WHERE external_id = 'r5'"
              + " UNION ALL SELECT id, now() - interval '28 days', 1700, 'USD', 1700 FROM listings WHERE external_id = 'r5'"
              + " UNION ALL SELECT id, now() - interval '2 days', 1650, 'USD', 1650 FROM listings WHERE external_id = 'r5'");
      st.execute(
          "INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd)"
              + " SELECT id, first_seen_at, price, currency, price_usd FROM listings WHERE external_id NOT IN ('r5', 'e1')");
      st.execute(
          "INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd)"
              + " SELECT id, now() - interval '5 hours', 1100, 'USD', 1100 FROM listings WHERE external_id = 'e1'"
              + " UNION ALL SELECT id, now() - interval '1 hour', 1050, 'USD', 1050 FROM listings WHERE external_id = 'e1'");
      // Listings kept out of the market, one or more per reason the normaliser gives, over both
      // sources.
      st.execute(
          "INSERT INTO rejected_listings (source_id, external_id, title, reason, detail, url, first_seen_at,"
              + " last_seen_at) VALUES"
              + " (1, 'k1', 'EKWB Quantum water block for RTX 4090', 'not_a_gpu', 'water block', 'http://shop/k1',"
              + "  now() - interval '6 hours', now() - interval '6 hours'),"
              + " (1, 'k2', 'Lenovo Legion 5 Pro gaming laptop RTX 3070 16GB RAM', 'laptop', 'lenovo legion',"
              + "  'http://shop/k2', now() - interval '5 hours', now() - interval '5 hours'),"
              + " (1, 'k3', 'NVIDIA CMP 170HX 8GB mining card', 'unknown_model', 'no catalog model for \"cmp 170 hx\"',"
              + "  NULL, now() - interval '4 hours', now() - interval '4 hours'),"
              + " (1, 'k4', 'RTX 3090 box only', 'suspicious', 'box only', NULL, now() - interval '3 hours',"
              + "  now() - interval '3 hours'),"
              + " (1, 'k5', 'ASUS RTX 4090 #9', 'price_outlier', '99 USD is under 0.3x the median', NULL,"
              + "  now() - interval '2 hours', now() - interval '2 hours'),"
              + " (2, 'k6', 'ASUS ROG Strix G16 RTX 4070 Laptop GPU', 'laptop', 'laptop gpu', NULL,"
              + "  now() - interval '1 hour', now() - interval '1 hour')");
    }
    server = ApiServer.start(db);
    base = "http://127.0.0.1:" + server.port();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Flags for a closed network and a root user: no sandbox, no background connections, a fresh
    // profile.
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1600",
        "--user-data-dir=" + Files.createTempDirectory("gpu-tracker-chromium"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  private static void screenshot(String name) throws Exception {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static List<String> column(int index) {
    List<String> values = new ArrayList<>();
    for (WebElement row : driver.findElements(By.cssSelector("#rows tr"))) {
      values.add(row.findElements(By.tagName("td")).get(index).getText());
    }
    return values;
  }

  private static double number(String text) {
    return Double.parseDouble(text.replaceAll("[^0-9.]", ""));
  }

  private static void awaitReady() {
    wait.until(d -> "true".equals(d.findElement(By.tagName("html")).getAttribute("data-ready")));
  }

  private static List<String> rowTitles() {
    return column(0);
  }

  private static long idOf(String externalId) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      var rs = st.executeQuery("SELECT id FROM listings WHERE external_id = '" + externalId + "'");
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  @DisplayName(
      "load, see the market with trends and buy-vs-rent, filter by GPU, sort by price, read deals, open a"
          + " listing's history, go back and forward through the views, open a history URL fresh, use it on a phone")
  void browse() throws Exception {
    driver.manage().window().setSize(new Dimension(1280, 1600));
    driver.get(base + "/");
    awaitReady();
    assertThat(driver.findElements(By.cssSelector("#cards li.card")).size()).isGreaterThan(1);
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 9));
    // Market cards: the most listed model first, with a weekly trend line drawn from its price
    // history.
    WebElement first = driver.findElements(By.cssSelector("#cards li.card")).get(0);
    assertThat(first.findElement(By.cssSelector(".card-title")).getText())
        .isEqualTo("GeForce RTX 4090");
    assertThat(first.findElements(By.cssSelector("svg.sparkline path.series"))).isNotEmpty();
    assertThat(first.findElement(By.cssSelector("svg.sparkline")).getAttribute("aria-label"))
        .contains("weekly");
    assertThat(first.getText()).contains("Break-even").contains("Value");
    // Two runs on one day, five hours apart: an hourly trend already, from the first price to the
    // second.
    WebElement rtx4080 = driver.findElement(By.cssSelector("#cards li.card[data-gpu=rtx-4080]"));
    assertThat(rtx4080.findElements(By.cssSelector("svg.sparkline path.series")))
        .as("a visible trend")
        .isNotEmpty();
    assertThat(rtx4080.findElement(By.cssSelector("svg.sparkline")).getAttribute("aria-label"))
        .contains("hourly")
        .contains("$1,100 to $1,050");
    assertThat(rtx4080.findElement(By.cssSelector("svg.sparkline")).getRect().getHeight())
        .isGreaterThan(10);
    // Buy vs rent: median sale 1775 (six sales 1650..1900) over median rental 0.40/h = 4438 hours;
    // at 8 h a day
    // that is 555 days.
    assertThat(driver.findElement(By.id("bvr-result")).getText())
        .contains("4,438 GPU-hours")
        .contains("555 days");
    WebElement hours = driver.findElement(By.id("bvr-hours"));
    hours.clear();
    hours.sendKeys("24");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bvr-result"), "185 days"));
    assertThat(contrastFailures()).as("text below WCAG AA contrast").isEmpty();
    driver.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    assertThat(contrastFailures()).as("text below WCAG AA contrast, dark scheme").isEmpty();
    screenshot("market-dark");
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    // The table names models and conditions.
    assertThat(column(1))
        .contains("GeForce RTX 4090", "Radeon RX 7900 XTX")
        .doesNotContain("rtx-4090");
    // Source health: the suspect source is named with its reason, the healthy one is not.
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("source-health")));
    assertThat(driver.findElement(By.id("source-health")).getText())
        .contains("cloud is suspect (listings read fell to 2 from a median of 20)")
        .doesNotContain("shop");
    screenshot("market");

    // Filter by GPU: a new view, with its own Atom feed.
    new Select(driver.findElement(By.id("filter-gpu"))).selectByValue("rtx-4090");
    driver.findElement(By.cssSelector("#filters button[type=submit]")).click();
    wait.until(
        d -> column(1).size() == 7 && column(1).stream().allMatch("GeForce RTX 4090"::equals));
    assertThat(driver.getCurrentUrl()).contains("gpu=rtx-4090");
    assertThat(driver.findElement(By.id("feed")).getAttribute("href"))
        .endsWith("/api/listings/feed?gpu=rtx-4090");
    assertThat(rowTitles().get(1)).as("recently seen first").isEqualTo("ASUS RTX 4090 #0");

    // Sort by price with the column header: cheapest card first, and the header says so. Without a
    // kind the price
    // order ranks cards for sale: the $/hour rental does not come first.
    driver.findElement(By.cssSelector("button.sort[data-sort=price]")).click();
    wait.until(d -> column(0).size() == 6 && column(0).get(0).equals("ASUS RTX 4090 #5"));
    assertThat(column(0)).doesNotContain("1x RTX 4090");
    List<Double> prices = column(4).stream().map(BrowserTest::number).toList();
    assertThat(prices).isSorted();
    assertThat(
            driver
                .findElement(By.cssSelector("button.sort[data-sort=price]"))
                .findElement(By.xpath(".."))
                .getAttribute("aria-sort"))
        .isEqualTo("ascending");
    // Deals: 1650 against the median of 1775 is 7 % below it.
    assertThat(column(5).get(0)).isEqualTo("7 % below median");
    assertThat(column(5).get(5)).isEqualTo("7 % above median");

    // Live: a price change committed now reaches the open page through the event stream.
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "Live"));
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO outbox (type, source, subject, key, gpu, data) SELECT 'listing.price_changed',"
              + " '/gpu-tracker/worker', 'listing/' || id, 'listing-' || id, gpu_slug, jsonb_build_object('listing_id', id,"
              + " 'price', '1600.0000', 'currency', 'USD', 'price_unit', 'total', 'price_usd', '1600.0000', 'gpu_count', 1,"
              + " 'previous', jsonb_build_object('price', '1650.0000', 'currency', 'USD', 'price_usd', '1650.0000'))"
              + " FROM listings WHERE external_id = 'r5'");
    }
    wait.until(
        d ->
            driver.findElements(By.cssSelector("#rows tr")).get(0).getText().contains("1,600 USD"));
    assertThat(driver.findElements(By.cssSelector("#rows tr")).get(0).getAttribute("class"))
        .contains("changed");

    // Open the cheapest card's history: its own URL, a step chart with its three prices (and the
    // one still held).
    long r5 = idOf("r5");
    driver
        .findElements(By.cssSelector("#rows tr"))
        .get(0)
        .findElement(By.cssSelector("button.history"))
        .click();
    assertHistoryOfR5();
    assertThat(driver.getCurrentUrl()).contains("listing=" + r5).contains("sort=price");
    // Each point's value: under the pointer in the legend, and with the arrow keys once the chart
    // has focus.
    new Actions(driver)
        .moveToElement(driver.findElement(By.cssSelector("#detail-chart .u-over")))
        .perform();
    wait.until(
        d ->
            d.findElement(By.cssSelector("#detail-chart .u-legend .u-series:nth-child(2) .u-value"))
                .getText()
                .contains("USD"));
    WebElement chart = driver.findElement(By.id("detail-chart"));
    chart.sendKeys(Keys.END);
    chart.sendKeys(Keys.ARROW_LEFT);
    chart.sendKeys(Keys.ARROW_LEFT);
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("detail-point"), "1,700 USD from"));
    JavascriptExecutor js = driver;
    for (String range :
        List.of("1650, 1800", "0.4, 0.4", "1, 1000", "99.5, 100.2", "0.35, 2.49", "200, 20000")) {
      Object ticks = js.executeScript("return Charts.priceTicks(" + range + ");");
      assertThat((List<?>) ticks).as("price ticks for " + range).hasSizeBetween(3, 5);
    }
    screenshot("listing-history");

    // Back closes the history (the previous view), forward opens it again, the close button goes
    // back again.
    driver.navigate().back();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));
    assertThat(driver.getCurrentUrl()).doesNotContain("listing=").contains("sort=price");
    driver.navigate().forward();
    assertHistoryOfR5();
    driver.findElement(By.cssSelector("#detail button.close")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));
    wait.until(d -> !d.getCurrentUrl().contains("listing="));
    // Back once more: the view before sorting, recently seen first again.
    driver.navigate().back();
    wait.until(
        d ->
            !d.getCurrentUrl().contains("sort=price")
                && column(0).size() == 7
                && column(0).get(1).equals("ASUS RTX 4090 #0"));
    assertThat(driver.getCurrentUrl()).contains("gpu=rtx-4090");
    assertThat(
            driver
                .findElement(By.cssSelector("button.sort[data-sort=price]"))
                .findElement(By.xpath(".."))
                .getAttribute("aria-sort"))
        .isEqualTo("none");
    assertThat(
            new Select(driver.findElement(By.id("sort")))
                .getFirstSelectedOption()
                .getAttribute("value"))
        .isEqualTo("-last_seen");

    // A history URL opened fresh shows that history.
    driver.get(base + "/?gpu=rtx-4090&listing=" + r5);
    awaitReady();
    assertHistoryOfR5();
    // The chart follows the dialog's width when the window narrows.
    driver.manage().window().setSize(new Dimension(400, 900));
    wait.until(
        d ->
            d.findElement(By.cssSelector("#detail-chart .uplot")).getRect().getWidth()
                <= d.findElement(By.id("detail-chart")).getRect().getWidth());
    driver.manage().window().setSize(new Dimension(1280, 1600));
    driver.findElement(By.cssSelector("#detail button.close")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));
    assertThat(driver.getCurrentUrl()).doesNotContain("listing=").contains("gpu=rtx-4090");

    // Prices in euros: with no rates stored, the bundled ECB rates convert, and the page says
    // which.
    driver.get(base + "/?currency=EUR");
    awaitReady();
    wait.until(d -> !column(0).isEmpty());
    assertThat(driver.findElement(By.cssSelector("#rows td.price")).getText()).contains(" EUR");
    assertThat(driver.findElement(By.id("rates-note")).getText())
        .contains("EUR")
        .contains("2024-12-31")
        .contains("bundled");
    driver.get(base + "/?gpu=rtx-4090");
    awaitReady();

    // A run ends: the cards follow at once (the API's market figures follow its commits).
    String rx = "#cards li.card[data-gpu=rx-7900-xtx]";
    assertThat(driver.findElement(By.cssSelector(rx)).getText()).contains("$899 (1)");
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute(
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
              + " price_usd, gpu_count, url, first_seen_at, last_seen_at, updated_at, price_changed_at) VALUES (1, 'x2',"
              + " 'sale', 'XFX RX 7900 XTX', 'rx-7900-xtx', 799, 'USD', 'total', 799, 1, 'http://shop/x2', now(), now(),"
              + " now(), now())");
      st.execute(
          "INSERT INTO outbox (type, source, subject, key, gpu, data) VALUES ('scrape_run.finished',"
              + " '/gpu-tracker/worker', 'scrape_run/1', 'scrape_run-1', NULL, '{\"run_id\": 1}')");
      c.commit();
    }
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(rx), "$849 (2)"));

    // At 400 px: the cards are a compact list, the table stacked rows, and nothing scrolls
    // sideways.
    driver.get(base + "/");
    awaitReady();
    driver.manage().window().setSize(new Dimension(400, 900));
    wait.until(
        d ->
            ((Number) js.executeScript("return document.documentElement.clientWidth;")).intValue()
                <= 400);
    screenshot("phone");
    Object widest =
        js.executeScript(
            "const w = document.documentElement.clientWidth; return [...document.querySelectorAll("
                + "'body *')].filter(e => e.getBoundingClientRect().right > w + 1)"
                + ".map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 8).join(' ');");
    assertThat(js.executeScript("return document.documentElement.scrollWidth;"))
        .as("no horizontal scroll at 400 px; wider: " + widest)
        .isEqualTo(js.executeScript("return document.documentElement.clientWidth;"));
    assertThat(
            js.executeScript(
                "const t = document.getElementById('listings'); return t.scrollWidth - t.clientWidth;"))
        .as("the table does not scroll sideways either")
        .isEqualTo(0L);
    for (WebElement card : driver.findElements(By.cssSelector("#cards li.card"))) {
      assertThat(card.getRect().getHeight()).as("a compact card").isLessThan(70);
    }
    assertThat(
            js.executeScript(
                "return getComputedStyle(document.querySelector('#rows td.price')).display;"))
        .as("stacked rows")
        .isEqualTo("flex");
    assertThat(
            js.executeScript(
                "return getComputedStyle(document.querySelector('#rows td.price'), '::before').content;"))
        .as("each value under its column's name")
        .isEqualTo("\"Price\"");
    js.executeScript("document.getElementById('listings').scrollIntoView();");
    screenshot("phone-listings");

    List<LogEntry> errors =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
    assertThat(errors).as("errors in the browser console").isEmpty();
  }

  private static List<String> rejectedColumn(int index) {
    List<String> values = new ArrayList<>();
    for (WebElement row : driver.findElements(By.cssSelector("#rejected-rows tr"))) {
      values.add(row.findElements(By.tagName("td")).get(index).getText());
    }
    return values;
  }

  @Test
  @DisplayName(
      "the listings kept out of the market: every reason, laptops among them, counted over the sources and"
          + " listed newest first; choosing a reason is a view of its own that back and a fresh URL restore")
  void keptOut() throws Exception {
    driver.manage().window().setSize(new Dimension(1280, 1600));
    driver.get(base + "/");
    awaitReady();
    wait.until(d -> rejectedColumn(0).size() == 6);
    assertThat(rejectedColumn(0))
        .as("newest first")
        .startsWith("ASUS ROG Strix G16 RTX 4070 Laptop GPU", "ASUS RTX 4090 #9");
    assertThat(rejectedColumn(1))
        .containsExactly(
            "laptop or laptop GPU",
            "price far from the model's",
            "suspicious offer",
            "model not in the catalog",
            "laptop or laptop GPU",
            "not a graphics card");
    assertThat(rejectedColumn(2)).contains("lenovo legion", "no catalog model for \"cmp 170 hx\"");
    assertThat(rejectedColumn(3)).containsExactly("cloud", "shop", "shop", "shop", "shop", "shop");
    wait.until(
        d ->
            new Select(d.findElement(By.id("rejected-reason")))
                .getOptions()
                .get(0)
                .getText()
                .equals("every reason (6)"));
    assertThat(new Select(driver.findElement(By.id("rejected-reason"))).getOptions())
        .extracting(WebElement::getText)
        .containsExactly(
            "every reason (6)",
            "not a graphics card (1)",
            "laptop or laptop GPU (2)",
            "model not in the catalog (1)",
            "suspicious offer (1)",
            "price far from the model's (1)",
            "listed twice (0)");
    assertThat(driver.findElement(By.id("rejected-status")).getText()).isEqualTo("6 listings");

    // Laptops only: a view of its own, with the rest of the URL kept. Every reason is the default:
    // not in the URL.
    driver.get(base + "/?gpu=rtx-4090");
    awaitReady();
    driver.findElement(By.cssSelector("#filters button[type=submit]")).click();
    wait.until(d -> d.getCurrentUrl().endsWith("/?gpu=rtx-4090"));
    new Select(driver.findElement(By.id("rejected-reason"))).selectByValue("laptop");
    wait.until(d -> rejectedColumn(0).size() == 2);
    assertThat(rejectedColumn(1)).containsOnly("laptop or laptop GPU");
    assertThat(rejectedColumn(0))
        .containsExactly(
            "ASUS ROG Strix G16 RTX 4070 Laptop GPU",
            "Lenovo Legion 5 Pro gaming laptop RTX 3070 16GB RAM");
    assertThat(driver.getCurrentUrl()).contains("rejected=laptop").contains("gpu=rtx-4090");
    assertThat(driver.findElement(By.cssSelector("#rejected-rows td.title a")).getAttribute("href"))
        .isEqualTo("http://shop/k2");
    // The listings table keeps its filter while the reason changes, and a new listing filter keeps
    // the reason.
    new Select(driver.findElement(By.name("condition"))).selectByValue("new");
    driver.findElement(By.cssSelector("#filters button[type=submit]")).click();
    wait.until(d -> d.getCurrentUrl().contains("condition=new"));
    assertThat(driver.getCurrentUrl()).contains("rejected=laptop");
    assertThat(rejectedColumn(0)).hasSize(2);

    // A reason with nothing kept out says so.
    new Select(driver.findElement(By.id("rejected-reason"))).selectByValue("duplicate");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("rejected-status"), "No listings kept out as listed twice."));
    assertThat(rejectedColumn(0)).isEmpty();
    // Back: laptops again; back twice more: every reason.
    driver.navigate().back();
    wait.until(d -> rejectedColumn(0).size() == 2);
    assertThat(
            new Select(driver.findElement(By.id("rejected-reason")))
                .getFirstSelectedOption()
                .getAttribute("value"))
        .isEqualTo("laptop");
    driver.navigate().back();
    driver.navigate().back();
    wait.until(d -> rejectedColumn(0).size() == 6);
    assertThat(driver.getCurrentUrl()).doesNotContain("rejected=");

    // A fresh URL naming the reason shows it; an unknown reason shows every one.
    driver.get(base + "/?rejected=laptop");
    awaitReady();
    assertThat(rejectedColumn(1)).containsExactly("laptop or laptop GPU", "laptop or laptop GPU");
    driver.get(base + "/?rejected=nonsense");
    awaitReady();
    assertThat(rejectedColumn(0)).hasSize(6);
    ((JavascriptExecutor) driver)
        .executeScript("document.getElementById('rejected-title').scrollIntoView();");
    screenshot("kept-out");
    // Page after page loads whole: a page left in the back/forward cache holds no connection (a
    // browser opens six
    // to a host), so none stalls the next.
    for (int i = 0; i < 8; i++) {
      driver.get(base + "/?rejected=" + (i % 2 == 0 ? "laptop" : "suspicious"));
      awaitReady();
      assertThat(rejectedColumn(0)).hasSize(i % 2 == 0 ? 2 : 1);
    }
    List<LogEntry> errors =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
    assertThat(errors).as("errors in the browser console").isEmpty();
  }

  /**
   * Every visible text node's contrast against its effective background, by WCAG 2's formula: at
   * least 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Returns the offenders.
   */
  private static List<?> contrastFailures() {
    String script =
        """
        const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255;
          return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const rgba = (s) => (s.match(/[0-9.]+/g) || []).map(Number);
        const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3); } return [255, 255, 255]; };
        const out = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const el = n.parentElement;
          if (!n.textContent.trim() || !el.getClientRects().length || el.closest('svg, .uplot, [hidden], dialog:not([open])')) continue;
          const style = getComputedStyle(el);
          if (style.visibility === 'hidden' || style.display === 'none') continue;
          const rect = el.getBoundingClientRect();
          if (rect.width <= 1 || rect.height <= 1) continue;
          const fg = rgba(style.color).slice(0, 3);
          const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
          const ratio = (a + 0.05) / (b + 0.05);
          const size = parseFloat(style.fontSize);
          const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
          if (ratio < (large ? 3 : 4.5)) out.push(`${el.tagName}.${el.className} "${n.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
        }
        return out.slice(0, 10);""";
    return (List<?>) ((JavascriptExecutor) driver).executeScript(script);
  }

  private static void assertHistoryOfR5() {
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("detail-title"), "ASUS RTX 4090 #5"));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#detail-chart .uplot canvas")));
    assertThat(driver.findElements(By.cssSelector("#detail-history tbody tr"))).hasSize(3);
    assertThat(driver.findElement(By.id("detail-chart")).getAttribute("aria-label"))
        .contains("Price history of ASUS RTX 4090 #5")
        .contains("4 points");
  }

  @Test
  @DisplayName("/docs is Swagger UI from the jar, with the routes' schemas")
  void docs() {
    driver.manage().window().setSize(new Dimension(1280, 1600));
    driver.get(base + "/docs");
    awaitReady();
    wait.until(d -> d.findElements(By.cssSelector(".opblock")).size() >= 15);
    assertThat(driver.findElement(By.tagName("body")).getText())
        .contains("/api/listings/feed")
        .contains("Listing");
    List<LogEntry> errors =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
    assertThat(errors).as("errors in the browser console").isEmpty();
  }
}
