package dev.gputracker.worker.demo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small marketplace served by the worker itself so the local run needs no internet: a shop of
 * cards for sale (HTML result pages with pagination, read by the {@code demo} adapter) and a cloud
 * of GPUs for rent (JSON offers, read by the {@code demo-cloud} adapter). It also serves a
 * robots.txt, so the demo goes through the same polite fetch path as a real site.
 */
public final class DemoMarketplace extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DemoMarketplace.class);
  static final int CARDS_PER_PAGE = 24;
  static final int OFFERS_PER_PAGE = 20;

  private final String host;
  private final int requestedPort;
  private final DemoInventory inventory;
  private HttpServer server;

  /**
   * @param port 0 picks a free port
   * @param daySeed the market day; a new seed moves prices
   */
  public DemoMarketplace(String host, int port, long daySeed) {
    this.host = host;
    this.requestedPort = port;
    this.inventory = DemoInventory.forDay(daySeed);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/robots.txt").handler(this::robots);
    router.get("/").handler(this::index);
    router.get("/shop/search").handler(this::shopPage);
    router.get("/shop/item/:id").handler(this::item);
    router.get("/cloud/offers").handler(this::offersPage);
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(requestedPort, host)
        .onSuccess(
            s -> {
              server = s;
              LOG.info(
                  "Demo marketplace on http://{}:{}/ ({} cards, {} rental offers today)",
                  host,
                  s.actualPort(),
                  inventory.cards().size(),
                  inventory.offers().size());
            });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port actually bound, once started. */
  public int port() {
    return server.actualPort();
  }

  public DemoInventory inventory() {
    return inventory;
  }

  private void robots(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "text/plain")
        .end("User-agent: *\nDisallow: /private/\n");
  }

  private void index(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "text/html; charset=utf-8")
        .end(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>GPU Demo Market</title></head><body>"
                + "<h1>GPU Demo Market</h1><ul><li><a href=\"/shop/search?page=1\">Graphics cards for sale</a></li>"
                + "<li><a href=\"/cloud/offers?page=1\">Cloud GPUs for rent (JSON)</a></li></ul></body></html>");
  }

  private void shopPage(RoutingContext ctx) {
    int page = pageParam(ctx);
    List<DemoInventory.Card> cards = inventory.cards();
    int pages = Math.max(1, (cards.size() + CARDS_PER_PAGE - 1) / CARDS_PER_PAGE);
    if (page > pages) {
      ctx.response().setStatusCode(404).end("no such page");
      return;
    }
    StringBuilder html = new StringBuilder(32 * 1024);
    html.append(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Graphics cards - page ")
        .append(page)
        .append(" of ")
        .append(pages)
        .append("</title></head><body><main><h1>Graphics cards</h1>")
        .append("<ol class=\"results\">");
    for (DemoInventory.Card c :
        cards.subList((page - 1) * CARDS_PER_PAGE, Math.min(cards.size(), page * CARDS_PER_PAGE))) {
      html.append("<li class=\"result\" data-listing-id=\"")
          .append(c.id())
          .append("\" data-sponsored=\"")
          .append(c.sponsored())
          .append("\">");
      if (c.sponsored()) {
        html.append("<span class=\"badge\">Sponsored</span>");
      }
      html.append("<h2 class=\"result-title\"><a href=\"/shop/item/")
          .append(c.id())
          .append("\">")
          .append(escape(c.title()))
          .append("</a></h2>")
          .append("<p class=\"result-price\" data-price=\"")
          .append(c.price().toPlainString())
          .append("\" data-currency=\"USD\">$")
          .append(String.format("%,.2f", c.price()))
          .append("</p>")
          .append("<p class=\"result-condition\">")
          .append(c.condition())
          .append("</p>")
          .append("<p class=\"result-seller\">")
          .append(escape(c.seller()))
          .append("</p>")
          .append("<p class=\"result-location\">")
          .append(c.location())
          .append("</p></li>");
    }
    html.append("</ol><nav class=\"pagination\">");
    if (page < pages) {
      html.append("<a rel=\"next\" href=\"/shop/search?page=")
          .append(page + 1)
          .append("\">Next page</a>");
    }
    html.append("</nav></main></body></html>");
    ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(html.toString());
  }

  private void item(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    inventory.cards().stream()
        .filter(c -> c.id().equals(id))
        .findFirst()
        .ifPresentOrElse(
            c ->
                ctx.response()
                    .putHeader("content-type", "text/html; charset=utf-8")
                    .end(
                        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                            + escape(c.title())
                            + "</title></head><body><h1>"
                            + escape(c.title())
                            + "</h1><p>$"
                            + c.price().toPlainString()
                            + "</p></body></html>"),
            () -> ctx.response().setStatusCode(404).end("sold out"));
  }

  private void offersPage(RoutingContext ctx) {
    int page = pageParam(ctx);
    List<DemoInventory.Offer> offers = inventory.offers();
    int from = (page - 1) * OFFERS_PER_PAGE;
    JsonArray items = new JsonArray();
    for (DemoInventory.Offer o :
        offers.subList(
            Math.min(from, offers.size()), Math.min(offers.size(), from + OFFERS_PER_PAGE))) {
      items.add(
          new JsonObject()
              .put("id", o.id())
              .put("gpu_name", o.gpuName())
              .put("num_gpus", o.gpuCount())
              .put("gpu_ram_gb", o.vramGb())
              .put("price_per_hour", o.pricePerHour().toPlainString())
              .put("location", o.location())
              .put("host", o.host()));
    }
    JsonObject body =
        new JsonObject()
            .put("offers", items)
            .put(
                "next",
                from + OFFERS_PER_PAGE < offers.size() ? "/cloud/offers?page=" + (page + 1) : null);
    ctx.response().putHeader("content-type", "application/json").end(body.encode());
  }

  private static int pageParam(RoutingContext ctx) {
    String raw = ctx.queryParams().get("page");
    try {
      return raw == null ? 1 : Math.max(1, Math.min(1000, Integer.parseInt(raw)));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
