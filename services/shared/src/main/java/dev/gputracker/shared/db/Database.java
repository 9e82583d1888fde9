package dev.gputracker.shared.db;

import dev.gputracker.shared.config.DatabaseUrl;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds the reactive PostgreSQL pools the services use. */
public final class Database {
  /**
   * Statement texts the client's prepared-statement cache keeps: all of ours. Its default, 2,048
   * characters, left the 8 KB page write and the market queries out, so they were parsed and
   * planned on every call (2 ms of planning per page).
   */
  private static final int STATEMENT_CACHE_SQL_LIMIT = 65_536;

  private Database() {}

  /**
   * How every pool of the services connects: statements prepared once per connection (whatever
   * their length) and pipelined, and the session named {@code gpu-tracker-<name>} in {@code
   * pg_stat_activity}.
   */
  public static PgConnectOptions connectOptions(DatabaseUrl url, String name) {
    return url.connectOptions()
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT)
        .setPipeliningLimit(256)
        .addProperty("application_name", "gpu-tracker-" + name);
  }

  /**
   * A pool shared by every verticle instance that asks for the same {@code name}, connected as
   * above.
   */
  public static Pool pool(Vertx vertx, DatabaseUrl url, String name, int maxSize) {
    PoolOptions pool =
        new PoolOptions()
            .setMaxSize(maxSize)
            .setShared(true)
            .setName("gpu-tracker-" + name)
            .setMaxWaitQueueSize(10_000)
            .setConnectionTimeout(10)
            .setIdleTimeout(60);
    return PgBuilder.pool().with(pool).connectingTo(connectOptions(url, name)).using(vertx).build();
  }
}
