package dev.gputracker.worker.persist;

import io.vertx.core.Future;

/** The right to scrape one source (or to relay the outbox) now; {@link #release()} gives it back. */
public interface SourceLease {
  Future<Void> release();

  /**
   * Runs {@code lost} (on the lock connection's context) if the lease ends without {@link #release()}: its
   * connection died, so PostgreSQL let the lock go and another process may take it now.
   */
  default void onLost(Runnable lost) {}
}
