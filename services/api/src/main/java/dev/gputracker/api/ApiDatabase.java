package dev.gputracker.api;

import dev.gputracker.shared.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The API's pools. Their sessions are read-only in PostgreSQL itself ({@code
 * default_transaction_read_only}), so a bug in the API cannot write, and every statement has a
 * server-side timeout.
 *
 * <p>Each HTTP verticle (one per event loop) owns a pool of its own, created in its start, so its
 * connections live on its event loop: a request's query, its rows and its response stay on one
 * thread. One pool shared by every loop handed each result to the loop of its request through a
 * task queue, and a connection waited for a busy loop of another request's: under load about a
 * tenth of the machine then sat idle (measured at 200,000 listings and 32 connections: 1,690
 * against 1,950-2,150 requests/s, p99 28-30 against 21-25 ms).
 */
public final class ApiDatabase {
  private ApiDatabase() {}

  /** One pool with all of {@code DB_POOL_SIZE}. */
  public static Pool pool(Vertx vertx, ApiConfig config) {
    return pool(vertx, config, 1);
  }

  /**
   * The pool of one of {@code eventLoops} verticles: {@code DB_POOL_SIZE} split between them,
   * rounded up, so the process holds at most one connection per loop more than the setting.
   */
  public static Pool pool(Vertx vertx, ApiConfig config, int eventLoops) {
    return pool(vertx, config, eventLoops, null);
  }

  /**
   * As above, adding the server process id of every connection the pool opens to {@code
   * backendPids} (when not null), so that a stopping API can cancel the queries still running on
   * them ({@link #cancel}).
   */
  public static Pool pool(Vertx vertx, ApiConfig config, int eventLoops, Set<Integer> backendPids) {
    PgConnectOptions connect =
        Database.connectOptions(config.database(), "api")
            .addProperty("default_transaction_read_only", "on")
            .addProperty("statement_timeout", Integer.toString(config.statementTimeoutMs()));
    PoolOptions pool =
        new PoolOptions()
            .setMaxSize((config.poolSize() + eventLoops - 1) / eventLoops)
            .setName("gpu-tracker-api")
            .setMaxWaitQueueSize(1_000)
            .setConnectionTimeout(5)
            .setIdleTimeout(60);
    var builder = PgBuilder.pool().with(pool).connectingTo(connect).using(vertx);
    if (backendPids != null) {
      builder.withConnectHandler(
          conn -> {
            backendPids.add(PgConnection.cast(conn).processId());
            conn.close(); // hands the new connection to the pool
          });
    }
    return builder.build();
  }

  /**
   * Cancels whatever the API's backends {@code pids} are running (pg_cancel_backend: a query stuck
   * behind a lock or in a long scan fails at once with 57014), over a connection of its own that
   * lives at most {@code timeoutMs}.
   */
  public static Future<Void> cancel(
      Vertx vertx, ApiConfig config, Set<Integer> pids, long timeoutMs) {
    if (pids.isEmpty()) {
      return Future.succeededFuture();
    }
    Integer[] ids = pids.toArray(new Integer[0]);
    PgConnectOptions connect = Database.connectOptions(config.database(), "api-stop");
    return PgConnection.connect(vertx, connect)
        .compose(
            conn ->
                conn.preparedQuery(ApiSql.CANCEL_BACKENDS)
                    .execute(Tuple.of((Object) ids))
                    .eventually(conn::close))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .mapEmpty();
  }
}
