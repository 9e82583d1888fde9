package dev.gputracker.worker.jobs.executors;

import dev.gputracker.worker.jobs.queue.ClaimedJob;
import dev.gputracker.worker.jobs.queue.JobOutcome;
import io.vertx.core.Future;

/**
 * Runs one kind of job. The {@code JobRunner} claims only the kinds it has an enabled executor for.
 *
 * <p>To add one (a Docker {@code container} executor; {@link GpuBenchmarkExecutor} shows blocking
 * native work with a timeout, cancellation and stored results): implement this interface, return
 * the job kind from {@link #kind()} (it must be allowed by the CHECK on {@code jobs.kind}), never
 * block the event loop (run work that blocks for the job's whole run on {@link JobThreads}), honour
 * the job's {@code timeoutSeconds} by returning a {@code timed_out} outcome, make {@link
 * #cancel(long)} stop the run, and register the instance with the runner. Report {@link #enabled()}
 * false when the host cannot run the kind (no Docker, native jobs not allowed) so the runner never
 * claims such jobs.
 */
public interface JobExecutor {
  /** The job kind this executor runs. */
  String kind();

  /** Whether this host may run the kind now. */
  default boolean enabled() {
    return true;
  }

  /** Runs the job to its end; the future fails only on executor bugs, job failures are outcomes. */
  Future<JobOutcome> execute(ClaimedJob job);

  /** Asks a running job to stop; its execute future then completes with a cancelled outcome. */
  default void cancel(long jobId) {}
}
