package dev.gputracker.worker.persist;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * One worker process per source at a time, across machines: a PostgreSQL session advisory lock keyed by the source
 * id, held on a connection of its own for as long as the source is being scraped. The lock dies with its connection,
 * so a killed worker never leaves a source locked. Its own connection (not the pool's) keeps long scrapes from
 * starving the pool. Needs a session-mode connection (PgBouncer's transaction mode would break it).
 */
public final class SourceLocks {
  /** The advisory-lock namespace of source locks ("GPUT"), so other lock users of the database cannot collide. */
  static final int LOCK_CLASS = 0x47505554;

  private final Vertx vertx;
  private final PgConnectOptions options;

  public SourceLocks(Vertx vertx, PgConnectOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** The source's lease when no other process holds it, else empty. */
  public Future<Optional<SourceLease>> tryAcquire(int sourceId) {
    return PgConnection.connect(vertx, options).compose(conn ->
        conn.preparedQuery(WorkerSql.TRY_LOCK).execute(Tuple.of(LOCK_CLASS, sourceId))
            .map(rows -> rows.iterator().next().getBoolean("locked"))
            .transform(ar -> {
              if (ar.succeeded() && ar.result()) {
                return Future.succeededFuture(Optional.<SourceLease>of(new Held(conn, sourceId)));
              }
              return conn.close().transform(v -> ar.succeeded()
                  ? Future.succeededFuture(Optional.<SourceLease>empty())
                  : Future.failedFuture(ar.cause()));
            }));
  }

  /** A lock held on its own connection; the connection closing without a release means the lock is gone. */
  private static final class Held implements SourceLease {
    private final PgConnection conn;
    private final int key;
    private volatile boolean released;
    private volatile Runnable lost = () -> {};

    Held(PgConnection conn, int key) {
      this.conn = conn;
      this.key = key;
      conn.closeHandler(v -> {
        if (!released) {
          lost.run();
        }
      });
    }

    @Override
    public Future<Void> release() {
      released = true;
      return conn.preparedQuery(WorkerSql.UNLOCK).execute(Tuple.of(LOCK_CLASS, key)).<Void>mapEmpty()
          .eventually(conn::close);
    }

    @Override
    public void onLost(Runnable callback) {
      this.lost = callback;
    }
  }
}
