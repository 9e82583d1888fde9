package dev.gputracker.worker.scrape.fetch;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real local HTTP server on a random port with a route per path; it records every request it
 * receives. Paths without a route answer 404 (so robots.txt is absent, which allows everything).
 */
final class TestSite {

  /** One request as the server saw it. */
  record Seen(String path, String userAgent, String acceptEncoding, long atNanos) {}

  private final Map<String, Handler<HttpServerRequest>> routes = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;

  static TestSite start(Vertx vertx) {
    TestSite site = new TestSite();
    site.server =
        vertx.createHttpServer().requestHandler(site::handle).listen(0, "127.0.0.1").await();
    return site;
  }

  TestSite on(String path, Handler<HttpServerRequest> handler) {
    routes.put(path, handler);
    return this;
  }

  TestSite text(String path, int status, String body) {
    return on(
        path,
        req ->
            req.response().setStatusCode(status).putHeader("Content-Type", "text/plain").end(body));
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  int port() {
    return server.actualPort();
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  List<Seen> seen(String path) {
    return seen.stream().filter(s -> s.path().equals(path)).toList();
  }

  long hits(String path) {
    return seen(path).size();
  }

  Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    seen.add(
        new Seen(
            req.path(),
            req.getHeader("User-Agent"),
            req.getHeader("Accept-Encoding"),
            System.nanoTime()));
    Handler<HttpServerRequest> route = routes.get(req.path());
    if (route == null) {
      req.response().setStatusCode(404).end("not found");
    } else {
      route.handle(req);
    }
  }
}
