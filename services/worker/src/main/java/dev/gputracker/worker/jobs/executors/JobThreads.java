package dev.gputracker.worker.jobs.executors;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads executors block on for a job's whole run (a native process, a container, a CUDA
 * measurement): one pool shared by name across executors, apart from Vert.x's default worker pool
 * so long jobs never starve the short blocking calls elsewhere (Flyway, detection, parsing), and
 * with a maximum execution time of a week so Vert.x does not report a long job as a blocked thread.
 */
public final class JobThreads {
  static final String NAME = "gpu-tracker-jobs";
  static final int SIZE = 64;

  private JobThreads() {}

  /**
   * A handle on the shared pool; closing it releases this handle only (the pool goes with its last
   * one).
   */
  public static WorkerExecutor open(Vertx vertx) {
    return vertx.createSharedWorkerExecutor(NAME, SIZE, 7, TimeUnit.DAYS);
  }
}
