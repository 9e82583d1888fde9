package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The listing page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs): it loads, shows market cards with trends and the buy-vs-rent panel, filters by GPU,
 * sorts by price, and opens a listing's price history chart. Screenshots are kept in {@code target/browser/}.
 * Skipped, saying why, where the browser is not installed.
 */
class BrowserTest {
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
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
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "headless Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does): " + CHROMIUM
            + ", " + CHROMEDRIVER);
    db = TestDatabases.fresh();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://shop/'),"
          + " ('cloud', 'demo-cloud', 'http://cloud/')");
      st.execute("UPDATE sources SET health = 'suspect', health_reason = 'listings read fell to 2 from a median of 20'"
          + " WHERE name = 'cloud'");
      String cols = "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
          + " price_usd, gpu_count, url, first_seen_at, last_seen_at, updated_at, price_changed_at) VALUES ";
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        values.append(values.length() == 0 ? "" : ",").append("(1, 'r").append(i).append("', 'sale', 'ASUS RTX 4090 #")
            .append(i).append("', 'rtx-4090', ").append(1900 - i * 50).append(", 'USD', 'total', ").append(1900 - i * 50)
            .append(", 1, 'http://shop/r").append(i).append("', now() - interval '60 days', now(), now(), now())");
      }
      values.append(", (1, 'x1', 'sale', 'Sapphire RX 7900 XTX', 'rx-7900-xtx', 899, 'USD', 'total', 899, 1,"
          + " 'http://shop/x1', now() - interval '30 days', now(), now(), now())");
      values.append(", (2, 'c1', 'rental', '1x RTX 4090', 'rtx-4090', 0.40, 'USD', 'hour', 0.40, 1, NULL,"
          + " now() - interval '30 days', now(), now(), now())");
      st.execute(cols + values);
      // The cheapest 4090 (r5, 1650 USD now) went 1800 -> 1700 -> 1650 over eight weeks.
      st.execute("INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd)"
          + " SELECT id, now() - interval '56 days', 1800, 'USD', 1800 FROM listings WHERE external_id = 'r5'"
          + " UNION ALL SELECT id, now() - interval '28 days', 1700, 'USD', 1700 FROM listings WHERE external_id = 'r5'"
          + " UNION ALL SELECT id, now() - interval '2 days', 1650, 'USD', 1650 FROM listings WHERE external_id = 'r5'");
      st.execute("INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd)"
          + " SELECT id, first_seen_at, price, currency, price_usd FROM listings WHERE external_id <> 'r5'");
    }
    server = ApiServer.start(db);
    base = "http://127.0.0.1:" + server.port();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Flags for a closed network and a root user: no sandbox, no background connections, a fresh profile.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,1600",
        "--user-data-dir=" + Files.createTempDirectory("gpu-tracker-chromium"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
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
    Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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

  @Test
  @DisplayName("load, see the market and buy-vs-rent, filter by GPU, sort by price, open a listing's history chart")
  void browse() throws Exception {
    driver.get(base + "/");
    wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#cards li.card"), 1));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 8));
    // Market cards: the most listed model first, with a weekly trend line drawn from its price history.
    WebElement first = driver.findElements(By.cssSelector("#cards li.card")).get(0);
    assertThat(first.findElement(By.cssSelector(".card-title")).getText()).isEqualTo("GeForce RTX 4090");
    wait.until(d -> !first.findElements(By.cssSelector("svg.sparkline path.series")).isEmpty());
    assertThat(first.getText()).contains("Break-even").contains("Value");
    // Buy vs rent: median sale 1775 (six sales 1650..1900) over median rental 0.40/h = 4438 hours; at 8 h a day
    // that is 555 days.
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bvr-result"), "GPU-hours"));
    assertThat(driver.findElement(By.id("bvr-result")).getText()).contains("4,438 GPU-hours").contains("555 days");
    WebElement hours = driver.findElement(By.id("bvr-hours"));
    hours.clear();
    hours.sendKeys("24");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bvr-result"), "185 days"));
    // Source health: the suspect source is named with its reason, the healthy one is not.
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("source-health")));
    assertThat(driver.findElement(By.id("source-health")).getText())
        .contains("cloud is suspect (listings read fell to 2 from a median of 20)").doesNotContain("shop");
    screenshot("market");

    // Filter by GPU.
    new Select(driver.findElement(By.id("filter-gpu"))).selectByValue("rtx-4090");
    driver.findElement(By.cssSelector("#filters button[type=submit]")).click();
    wait.until(d -> column(1).size() == 7 && column(1).stream().allMatch("rtx-4090"::equals));
    assertThat(driver.getCurrentUrl()).contains("gpu=rtx-4090");

    // Sort by price with the column header: cheapest first, and the header says so.
    driver.findElement(By.cssSelector("button.sort[data-sort=price]")).click();
    wait.until(d -> column(0).size() == 7 && column(0).get(0).equals("1x RTX 4090"));
    List<String> perGpu = column(3);
    List<Double> prices = perGpu.stream().map(BrowserTest::number).toList();
    assertThat(prices).isSorted();
    assertThat(driver.findElement(By.cssSelector("button.sort[data-sort=price]")).findElement(By.xpath(".."))
        .getAttribute("aria-sort")).isEqualTo("ascending");
    assertThat(column(0).get(1)).isEqualTo("ASUS RTX 4090 #5");

    // Live: a price change committed now reaches the open page through the event stream.
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "Live"));
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO outbox (type, source, subject, key, gpu, data) SELECT 'listing.price_changed',"
          + " '/gpu-tracker/worker', 'listing/' || id, 'listing-' || id, gpu_slug, jsonb_build_object('listing_id', id,"
          + " 'price', '1600.0000', 'currency', 'USD', 'price_unit', 'total', 'price_usd', '1600.0000', 'gpu_count', 1,"
          + " 'previous', jsonb_build_object('price', '1650.0000', 'currency', 'USD', 'price_usd', '1650.0000'))"
          + " FROM listings WHERE external_id = 'r5'");
    }
    wait.until(d -> driver.findElements(By.cssSelector("#rows tr")).get(1).getText().contains("1,600 USD"));
    assertThat(driver.findElements(By.cssSelector("#rows tr")).get(1).getAttribute("class")).contains("changed");

    // Open the cheapest card's history: a step chart with its three prices.
    driver.findElements(By.cssSelector("#rows tr")).get(1).findElement(By.cssSelector("button.history")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#detail-chart svg.line-chart path.series")));
    assertThat(driver.findElement(By.id("detail-title")).getText()).isEqualTo("ASUS RTX 4090 #5");
    assertThat(driver.findElements(By.cssSelector("#detail-chart circle.dot"))).hasSize(3);
    assertThat(driver.findElements(By.cssSelector("#detail-history tbody tr"))).hasSize(3);
    assertThat(driver.findElement(By.cssSelector("#detail-chart svg")).getAttribute("aria-label"))
        .contains("Price history of ASUS RTX 4090 #5");
    screenshot("listing-history");
    driver.findElement(By.cssSelector("#detail button.close")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));

    // On a phone: nothing wider than the screen but the table's own scroll area.
    driver.manage().window().setSize(new Dimension(390, 844));
    screenshot("phone");
    JavascriptExecutor js = driver;
    Object overflow = js.executeScript(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    Object widest = js.executeScript("const w = document.documentElement.clientWidth; return [...document.querySelectorAll("
        + "'body *')].filter(e => !e.closest('.scroll') && e.getBoundingClientRect().right > w + 1)"
        + ".map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 8).join(' ');");
    assertThat(((Number) overflow).intValue()).as("horizontal overflow on a phone, px, from: " + widest)
        .isLessThanOrEqualTo(1);

    List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    assertThat(errors).as("errors in the browser console").isEmpty();
  }
}
