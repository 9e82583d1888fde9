package dev.gputracker.api;

import dev.gputracker.api.server.HttpVerticle;
import dev.gputracker.shared.config.DatabaseUrl;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** The API started for a test on a free port over {@code db}, with a client to call it. */
final class ApiServer implements AutoCloseable {
  private final Vertx vertx;
  private final WebClient client;
  private final int port;

  private ApiServer(Vertx vertx, WebClient client, int port) {
    this.vertx = vertx;
    this.client = client;
    this.port = port;
  }

  static ApiServer start(DatabaseUrl db) {
    return start(ApiConfig.forTest(db));
  }

  static ApiServer start(ApiConfig config) {
    Vertx vertx = Vertx.vertx();
    HttpVerticle api = new HttpVerticle(config);
    vertx.deployVerticle(api).await();
    return new ApiServer(vertx, WebClient.create(vertx), api.actualPort());
  }

  HttpResponse<Buffer> get(String pathAndQuery) {
    return client.get(port, "127.0.0.1", pathAndQuery).send().await();
  }

  Vertx vertx() {
    return vertx;
  }

  WebClient client() {
    return client;
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
