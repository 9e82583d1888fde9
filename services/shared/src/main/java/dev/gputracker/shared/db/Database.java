package dev.gputracker.shared.db;

import dev.gputracker.shared.config.DatabaseUrl;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds the reactive PostgreSQL pools the services use. */
public final class Database {
  /** The longest statement text the prepared statement cache keeps: above every statement the services issue. */
  public static final int STATEMENT_CACHE_SQL_LIMIT = 65_536;

  private Database() {}

  /**
   * A pool shared by every verticle instance that asks for the same {@code name}, with statements prepared once
   * per connection and pipelined.
   */
  public static Pool pool(Vertx vertx, DatabaseUrl url, String name, int maxSize) {
    PgConnectOptions connect = url.connectOptions()
        .setCachePreparedStatements(true)
        // The client caches only statements up to 2,048 characters by default; longer ones were parsed and planned
        // again on every call (the page write: 2 ms of planning per page). Ours are fixed texts, so all may be cached.
        .setPreparedStatementCacheSqlLimit(Database.STATEMENT_CACHE_SQL_LIMIT)
        .setPipeliningLimit(256)
        .addProperty("application_name", "gpu-tracker-" + name);
    PoolOptions pool = new PoolOptions()
        .setMaxSize(maxSize)
        .setShared(true)
        .setName("gpu-tracker-" + name)
        .setMaxWaitQueueSize(10_000)
        .setConnectionTimeout(10)
        .setIdleTimeout(60);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }
}
