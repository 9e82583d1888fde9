package dev.gputracker.api;

import dev.gputracker.shared.db.Database;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The API's pools. Their sessions are read-only in PostgreSQL itself ({@code default_transaction_read_only}), so a
 * bug in the API cannot write, and every statement has a server-side timeout.
 *
 * <p>Each HTTP verticle (one per event loop) owns a pool of its own, created in its start, so its connections live on
 * its event loop: a request's query, its rows and its response stay on one thread. One pool shared by every loop
 * handed each result to the loop of its request through a task queue, and a connection waited for a busy loop of
 * another request's: under load about a tenth of the machine then sat idle (measured at 200,000 listings and 32
 * connections: 1,690 against 1,950-2,150 requests/s, p99 28-30 against 21-25 ms).
 */
public final class ApiDatabase {
  private ApiDatabase() {}

  /** One pool with all of {@code DB_POOL_SIZE}. */
  public static Pool pool(Vertx vertx, ApiConfig config) {
    return pool(vertx, config, 1);
  }

  /**
   * The pool of one of {@code eventLoops} verticles: {@code DB_POOL_SIZE} split between them, rounded up, so the
   * process holds at most one connection per loop more than the setting.
   */
  public static Pool pool(Vertx vertx, ApiConfig config, int eventLoops) {
    PgConnectOptions connect = Database.connectOptions(config.database(), "api")
        .addProperty("default_transaction_read_only", "on")
        .addProperty("statement_timeout", Integer.toString(config.statementTimeoutMs()));
    PoolOptions pool = new PoolOptions()
        .setMaxSize((config.poolSize() + eventLoops - 1) / eventLoops)
        .setName("gpu-tracker-api")
        .setMaxWaitQueueSize(1_000)
        .setConnectionTimeout(5)
        .setIdleTimeout(60);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }
}
