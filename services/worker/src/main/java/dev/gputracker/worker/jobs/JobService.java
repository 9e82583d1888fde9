package dev.gputracker.worker.jobs;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.worker.gpu.GpuDetection;
import dev.gputracker.worker.jobs.queue.JobQueue;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's job side: its executors and a runner over this machine's GPUs. A daemon deploys the
 * {@link #runner} (it claims on NOTIFY, with polling as the fallback); a oneshot run {@link
 * #runQueuedNow runs what is queued now}.
 */
public final class JobService {
  private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

  /** How a runner leases and polls. */
  public record Timing(int leaseSeconds, long pollMillis) {
    public static final Timing DEFAULT = new Timing(30, 2_000);
  }

  private final JobRunner runner;
  private final JobExecutors executors;

  private JobService(JobRunner runner, JobExecutors executors) {
    this.runner = runner;
    this.executors = executors;
  }

  public static Future<JobService> start(
      Vertx vertx,
      Pool pool,
      DatabaseUrl url,
      JobSettings settings,
      String owner,
      GpuDetection gpus,
      Timing timing) {
    int capacity = settings.capacity();
    JobQueue queue = new JobQueue(pool);
    return JobExecutors.start(vertx, pool, settings, owner, queue, gpus)
        .map(
            executors -> {
              LOG.info(
                  "Jobs: up to {} at once on {} GPU(s); kinds: {}",
                  capacity,
                  gpus.gpus().size(),
                  executors.describe());
              return new JobService(
                  new JobRunner(
                      vertx,
                      queue,
                      new JobRunner.Settings(
                          owner,
                          capacity,
                          new GpuSlots(gpus.gpus()),
                          timing.leaseSeconds(),
                          timing.pollMillis()),
                      executors.all(),
                      url.connectOptions()),
                  executors);
            });
  }

  /**
   * The runner to deploy in a daemon: it claims whenever a job is queued (woken by NOTIFY),
   * heartbeats and reaps leases until undeployed.
   */
  public Deployable runner() {
    return runner;
  }

  /**
   * Oneshot: runs the jobs queued now (and those queued while it runs), then resolves with how many
   * ran.
   */
  public Future<Integer> runQueuedNow() {
    return runner.runQueuedNow();
  }

  public int running() {
    return runner.running();
  }

  /**
   * Stops claiming (undeploys the runner if it is still deployed), gives the jobs in flight up to
   * {@code grace} to finish, and closes the executors. A job still running then keeps its lease
   * until it expires, and another worker takes it over (an attempt spent).
   */
  public Future<Void> stop(Vertx vertx, Duration grace) {
    Future<Void> claiming =
        runner.phase() == JobRunner.Phase.LISTENING
            ? vertx.undeploy(runner.deploymentID())
            : Future.succeededFuture();
    return claiming.compose(v -> runner.idle(vertx, grace)).eventually(executors::close);
  }
}
