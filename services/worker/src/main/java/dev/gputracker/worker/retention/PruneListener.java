package dev.gputracker.worker.retention;

/** Told how many rows each pruning pass deleted from a table (the worker's metrics count them). */
@FunctionalInterface
public interface PruneListener {
  PruneListener NONE = (table, rows) -> {};

  void onPruned(String table, long rows);
}
