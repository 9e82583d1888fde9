package dev.gputracker.worker.testing;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP shop for engine and process tests, serving pages in the demo shop's format (read by
 * the {@code demo} adapter). A test can hold the response to a page until it says so ({@link
 * #hold}), and wait until a page has been requested ({@link #requested}): that is how tests stop or
 * kill a worker exactly mid-run without sleeping.
 */
public final class TestShop implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final int pages;
  private final int perPage;
  private volatile Answer answer = Answer.RESULTS;
  private volatile int shownPerPage = -1;
  private volatile int lastPage = -1;
  private final Map<String, BigDecimal> priceOverrides = new ConcurrentHashMap<>();
  private final Map<Integer, Promise<Void>> holds = new ConcurrentHashMap<>();
  private final Map<Integer, CompletableFuture<Void>> requested = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int failingPage = -1;
  private volatile boolean duplicates;
  private volatile String currency = "USD";
  private volatile String ratesXml;
  private final Map<String, byte[]> savedPages = new ConcurrentHashMap<>();

  private TestShop(Vertx vertx, HttpServer server, int pages, int perPage) {
    this.vertx = vertx;
    this.server = server;
    this.pages = pages;
    this.perPage = perPage;
  }

  /** Starts a shop of {@code pages} pages with {@code perPage} GPUs each on a free port. */
  public static TestShop start(int pages, int perPage) {
    Vertx vertx = Vertx.vertx();
    TestShop[] self = new TestShop[1];
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(req -> self[0].handle(req))
            .listen(0, "127.0.0.1")
            .await();
    self[0] = new TestShop(vertx, server, pages, perPage);
    return self[0];
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/";
  }

  /** Responses to {@code page} wait until {@link #release} is called. */
  public void hold(int page) {
    holds.put(page, Promise.promise());
  }

  public void release(int page) {
    Promise<Void> p = holds.remove(page);
    if (p != null) {
      vertx.runOnContext(v -> p.tryComplete());
    }
  }

  /** Completes when {@code page} has been requested (its response may be held). */
  public CompletableFuture<Void> requested(int page) {
    return requested.computeIfAbsent(page, k -> new CompletableFuture<>());
  }

  /**
   * What the shop answers its result pages with, status 200 each: results, or what a marketplace
   * sends instead.
   */
  public enum Answer {
    RESULTS,
    /** a robot check (captcha) page */
    ROBOT_CHECK,
    /** an empty body */
    EMPTY_BODY,
    /** the result cards without their prices */
    NO_PRICES
  }

  /** Answers result pages with {@code answer} from now on. */
  public void answer(Answer answer) {
    this.answer = answer;
  }

  /**
   * Shows only the first {@code n} items of each page from now on (a market that shrank); -1 shows
   * them all.
   */
  public void showPerPage(int n) {
    shownPerPage = n;
  }

  /** Page {@code n} has no next link from now on (a pagination cut); -1 restores the last page. */
  public void lastPage(int n) {
    lastPage = n;
  }

  /** Answers 500 for {@code page} from now on. */
  public void failPage(int page) {
    failingPage = page;
  }

  /** Each page also lists its first item again under another id ("dup-" + the id). */
  public void listDuplicates() {
    duplicates = true;
  }

  /** Prices are shown in {@code code} from now on. */
  public void currency(String code) {
    currency = code;
  }

  /** Serves {@code xml} at /rates.xml (an exchange-rates feed). */
  public void rates(String xml) {
    ratesXml = xml;
  }

  /** Serves {@code body} (a saved page, read in place) at {@code path} as UTF-8 HTML. */
  public void savedPage(String path, byte[] body) {
    savedPages.put(path, body);
  }

  public void setPrice(String id, BigDecimal price) {
    priceOverrides.put(id, price);
  }

  public int requestCount() {
    return requests.get();
  }

  /** The id of item {@code i} (0-based) on {@code page} (1-based). */
  public static String itemId(int page, int i) {
    return String.format("t-%03d-%02d", page, i);
  }

  public static BigDecimal basePrice(int page, int i) {
    return new BigDecimal(400 + page * 10 + i).add(new BigDecimal("0.99"));
  }

  private void handle(HttpServerRequest req) {
    requests.incrementAndGet();
    if (req.path().equals("/robots.txt")) {
      req.response().end("User-agent: *\nAllow: /\n");
      return;
    }
    if (req.path().equals("/rates.xml") && ratesXml != null) {
      req.response().putHeader("content-type", "text/xml").end(ratesXml);
      return;
    }
    byte[] saved = savedPages.get(req.path());
    if (saved != null) {
      req.response()
          .putHeader("content-type", "text/html; charset=utf-8")
          .end(Buffer.buffer(saved));
      return;
    }
    if (!req.path().equals("/shop/search")) {
      req.response().setStatusCode(404).end();
      return;
    }
    int page = Integer.parseInt(req.getParam("page", "1"));
    requested(page).complete(null);
    Promise<Void> hold = holds.get(page);
    if (hold == null) {
      respond(req, page);
    } else {
      hold.future().onComplete(v -> respond(req, page));
    }
  }

  private void respond(HttpServerRequest req, int page) {
    if (page == failingPage) {
      req.response().setStatusCode(500).end("boom");
      return;
    }
    Answer now = answer;
    if (now == Answer.EMPTY_BODY) {
      req.response().putHeader("content-type", "text/html; charset=utf-8").end();
      return;
    }
    if (now == Answer.ROBOT_CHECK) {
      req.response()
          .putHeader("content-type", "text/html; charset=utf-8")
          .end(
              "<!doctype html><html><head>"
                  + "<title>Robot Check</title></head><body><p>Enter the characters you see below. Sorry, we just need to"
                  + " make sure you're not a robot.</p><form action=\"/errors/validateCaptcha\"><input name=\"c\">"
                  + "</form></body></html>");
      return;
    }
    StringBuilder html =
        new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"></head><body>");
    html.append("<ol class=\"results\">");
    int shown = shownPerPage < 0 ? perPage : Math.min(perPage, shownPerPage);
    for (int i = 0; i < shown + (duplicates ? 1 : 0); i++) {
      String id = i == shown ? "dup-" + itemId(page, 0) : itemId(page, i);
      String shownAs = i == shown ? itemId(page, 0) : id;
      BigDecimal price = priceOverrides.getOrDefault(shownAs, basePrice(page, i == shown ? 0 : i));
      html.append("<li class=\"result\" data-listing-id=\"")
          .append(id)
          .append("\" data-sponsored=\"false\">")
          .append("<h2 class=\"result-title\"><a href=\"/shop/item/")
          .append(id)
          .append("\">MSI GeForce RTX 4070 ")
          .append("Gaming X Trio 12GB GDDR6X #")
          .append(shownAs)
          .append("</a></h2>")
          .append(
              now == Answer.NO_PRICES
                  ? "<p class=\"result-price\">see price in basket</p>"
                  : "<p class=\"result-price\" data-price=\""
                      + price.toPlainString()
                      + "\" data-currency=\""
                      + currency
                      + "\">"
                      + price.toPlainString()
                      + "</p>")
          .append("<p class=\"result-condition\">new</p></li>");
    }
    html.append("</ol>");
    if (page < pages && page != lastPage) {
      html.append("<a rel=\"next\" href=\"/shop/search?page=")
          .append(page + 1)
          .append("\">next</a>");
    }
    html.append("</body></html>");
    req.response().putHeader("content-type", "text/html; charset=utf-8").end(html.toString());
  }

  @Override
  public void close() {
    holds.values().forEach(p -> vertx.runOnContext(v -> p.tryComplete()));
    vertx.close().await();
  }
}
