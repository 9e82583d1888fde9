package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.http.RateLimiter;
import dev.gputracker.api.server.HttpVerticle;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each HTTP verticle owns a pool on its own event loop ({@link ApiDatabase}), and the instances
 * split {@code DB_POOL_SIZE} between them, rounded up: two loops and a size of 3 open two
 * connections each under load, four in all (one pool shared by the loops would stop at three).
 */
class PoolPerEventLoopTest {

  @Test
  @DisplayName("two event loops split DB_POOL_SIZE=3 into pools of two connections each")
  void eachLoopHasItsOwnPool() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) VALUES ('shop', 'demo', 'http://s/')");
      st.execute(
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
              + " price_usd, first_seen_at, last_seen_at, updated_at, price_changed_at) SELECT 1, 'x' || i, 'sale',"
              + " 'RTX 4090 ' || i, 'rtx-4090', 1000 + i, 'USD', 'total', 1000 + i, now(), now(), now(), now()"
              + " FROM generate_series(1, 500) i");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ApiConfig base = ApiConfig.forTest(db);
    ApiConfig config =
        new ApiConfig(
            port,
            db,
            3,
            base.statementTimeoutMs(),
            base.requestTimeoutMs(),
            base.corsOrigins(),
            base.rateLimitPerMinute(),
            base.marketCacheSeconds(),
            base.sseMaxStreams(),
            base.sseHeartbeatSeconds());
    Vertx vertx = Vertx.vertx();
    try {
      RateLimiter limiter = new RateLimiter(0);
      AtomicInteger streams = new AtomicInteger();
      vertx
          .deployVerticle(
              () -> new HttpVerticle(config, new HttpVerticle.Shared(limiter, null, streams), 2),
              new DeploymentOptions().setInstances(2))
          .await();
      WebClient client =
          WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(64));
      List<Future<HttpResponse<Buffer>>> requests = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        requests.add(
            client
                .get(
                    port,
                    "127.0.0.1",
                    "/api/listings?gpu=rtx-4090&limit=200&max_price=" + (1100 + i))
                .send());
      }
      for (Future<HttpResponse<Buffer>> r : requests) {
        assertThat(r.await().statusCode()).isEqualTo(200);
      }
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT count(*) FROM pg_stat_activity"
                      + " WHERE application_name = 'gpu-tracker-api' AND datname = current_database()")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the API's connections").isEqualTo(4);
      }
    } finally {
      vertx.close().await();
    }
  }
}
