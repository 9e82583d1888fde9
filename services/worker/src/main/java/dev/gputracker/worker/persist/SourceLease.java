package dev.gputracker.worker.persist;

import io.vertx.core.Future;

/** The right to scrape one source now; {@link #release()} gives it back. */
public interface SourceLease {
  Future<Void> release();
}
