package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.http.RateLimiter;
import dev.gputracker.api.http.TrustedProxies;
import dev.gputracker.api.server.HttpVerticle;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rate limit behind proxies: X-Forwarded-For names the client only when a trusted proxy sent
 * it.
 */
class RateLimitProxiesTest {
  private static DatabaseUrl db;
  private static Vertx vertx;
  private static WebClient client;

  @BeforeAll
  static void start() {
    db = TestDatabases.fresh();
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  /** An API with a limit of 3 per minute believing {@code trusted}; returns its port. */
  private static int api(String trusted) {
    TrustedProxies proxies = TrustedProxies.parse(trusted);
    ApiConfig config =
        new ApiConfig(0, db, 2, 5000, 10000, List.of(), 3, 0, 10, 15)
            .withHttp(new ApiConfig.Http(4096, 8192, proxies));
    HttpVerticle api =
        new HttpVerticle(
            config,
            new HttpVerticle.Shared(new RateLimiter(3, proxies), null, new AtomicInteger()),
            1);
    vertx.deployVerticle(api).await();
    return api.actualPort();
  }

  private static int get(int port, String forwardedFor) {
    var request = client.get(port, "127.0.0.1", "/api/runs");
    if (forwardedFor != null) {
      request.putHeader("x-forwarded-for", forwardedFor);
    }
    return request.send().await().statusCode();
  }

  @Test
  @DisplayName(
      "without trusted proxies, 50 made-up X-Forwarded-For addresses do not get past a 429")
  void untrustedHeaderIgnored() {
    int port = api("");
    for (int i = 0; i < 3; i++) {
      assertThat(get(port, null)).isEqualTo(200);
    }
    for (int i = 0; i < 50; i++) {
      assertThat(get(port, "198.51.100." + i)).as("made-up address %d", i).isEqualTo(429);
    }
  }

  @Test
  @DisplayName("a peer outside TRUSTED_PROXIES cannot name a client either")
  void otherProxiesIgnored() {
    int port = api("10.0.0.0/8");
    for (int i = 0; i < 3; i++) {
      assertThat(get(port, "198.51.100." + i)).isEqualTo(200);
    }
    assertThat(get(port, "198.51.100.99")).isEqualTo(429);
  }

  @Test
  @DisplayName(
      "behind a trusted proxy each forwarded client has its own budget; spoofed hops left of it change nothing")
  void trustedProxy() {
    int port = api("127.0.0.1/32");
    for (int i = 0; i < 3; i++) {
      assertThat(get(port, "203.0.113.7")).isEqualTo(200);
    }
    assertThat(get(port, "203.0.113.7")).isEqualTo(429);
    for (int i = 0; i < 20; i++) {
      assertThat(get(port, "198.51.100." + i + ", 203.0.113.7"))
          .as("spoofed hop %d", i)
          .isEqualTo(429);
    }
    assertThat(get(port, "198.51.100.1")).as("another client").isEqualTo(200);
  }
}
