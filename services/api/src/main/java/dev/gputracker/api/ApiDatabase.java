package dev.gputracker.api;

import dev.gputracker.shared.db.Database;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The API's pool. Its sessions are read-only in PostgreSQL itself ({@code default_transaction_read_only}), so a bug
 * in the API cannot write, and every statement has a server-side timeout.
 */
public final class ApiDatabase {
  private ApiDatabase() {}

  public static Pool pool(Vertx vertx, ApiConfig config) {
    PgConnectOptions connect = Database.connectOptions(config.database(), "api")
        .addProperty("default_transaction_read_only", "on")
        .addProperty("statement_timeout", Integer.toString(config.statementTimeoutMs()));
    PoolOptions pool = new PoolOptions()
        .setMaxSize(config.poolSize())
        .setShared(true)
        .setName("gpu-tracker-api")
        .setMaxWaitQueueSize(1_000)
        .setConnectionTimeout(5)
        .setIdleTimeout(60);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }
}
