package dev.gputracker.shared.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * Every PostgreSQL session advisory lock the product takes, under named keys: one worker process
 * per source at a time, one outbox relay per database. A lock is held on a connection of its own
 * (not the pool's, so long holds never starve it) and dies with that connection, so a killed
 * process never leaves anything locked. Needs a session-mode connection (PgBouncer's transaction
 * mode would break it).
 */
public final class AdvisoryLocks {
  /**
   * The namespace of all the product's two-key locks ("GPUT"), so other lock users of the database
   * cannot collide.
   */
  public static final int NAMESPACE = 0x47505554;

  private static final String TRY_LOCK = "SELECT pg_try_advisory_lock($1, $2) AS locked";
  private static final String UNLOCK = "SELECT pg_advisory_unlock($1, $2)";

  /**
   * A lock's name in {@link #NAMESPACE}: sources by their (positive) id, the product's singletons
   * below zero.
   */
  public record Key(String name, int id) {
    /** The outbox relay: one process relays events at a time. */
    public static final Key OUTBOX_RELAY = new Key("outbox relay", -1);

    public Key {
      if (id == 0) {
        throw new IllegalArgumentException("lock id 0 is reserved");
      }
    }

    /** The right to scrape source {@code sourceId}. */
    public static Key source(int sourceId) {
      if (sourceId <= 0) {
        throw new IllegalArgumentException("source ids are positive: " + sourceId);
      }
      return new Key("source " + sourceId, sourceId);
    }
  }

  /** A held lock; {@link #release()} gives it back. */
  public interface Lease {
    Key key();

    Future<Void> release();

    /**
     * Runs {@code lost} (on the lock connection's context) if the lease ends without {@link
     * #release()}: its connection died, so PostgreSQL let the lock go and another process may take
     * it now.
     */
    void onLost(Runnable lost);
  }

  private final Vertx vertx;
  private final PgConnectOptions options;

  public AdvisoryLocks(Vertx vertx, PgConnectOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** The lease when no other session holds the key, else empty. */
  public Future<Optional<Lease>> tryAcquire(Key key) {
    return PgConnection.connect(vertx, options)
        .compose(
            conn ->
                conn.preparedQuery(TRY_LOCK)
                    .execute(Tuple.of(NAMESPACE, key.id()))
                    .map(rows -> rows.iterator().next().getBoolean("locked"))
                    .transform(
                        ar -> {
                          if (ar.succeeded() && ar.result()) {
                            return Future.succeededFuture(Optional.<Lease>of(new Held(conn, key)));
                          }
                          return conn.close()
                              .transform(
                                  v ->
                                      ar.succeeded()
                                          ? Future.succeededFuture(Optional.<Lease>empty())
                                          : Future.failedFuture(ar.cause()));
                        }));
  }

  /**
   * A lock held on its own connection; the connection closing without a release means the lock is
   * gone.
   */
  private static final class Held implements Lease {
    private final PgConnection conn;
    private final Key key;
    private volatile boolean released;
    private volatile Runnable lost = () -> {};

    Held(PgConnection conn, Key key) {
      this.conn = conn;
      this.key = key;
      conn.closeHandler(
          v -> {
            if (!released) {
              lost.run();
            }
          });
    }

    @Override
    public Key key() {
      return key;
    }

    @Override
    public Future<Void> release() {
      released = true;
      return conn.preparedQuery(UNLOCK)
          .execute(Tuple.of(NAMESPACE, key.id()))
          .<Void>mapEmpty()
          .eventually(conn::close);
    }

    @Override
    public void onLost(Runnable callback) {
      this.lost = callback;
    }
  }
}
