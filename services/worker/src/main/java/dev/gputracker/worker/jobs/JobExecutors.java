package dev.gputracker.worker.jobs;

import dev.gputracker.shared.benchmarks.BenchmarkStore;
import dev.gputracker.worker.gpu.GpuBenchmark;
import dev.gputracker.worker.gpu.GpuDetection;
import dev.gputracker.worker.jobs.executors.CommandExecutor;
import dev.gputracker.worker.jobs.executors.GpuBenchmarkExecutor;
import dev.gputracker.worker.jobs.executors.JobExecutor;
import dev.gputracker.worker.jobs.executors.NoopExecutor;
import dev.gputracker.worker.jobs.executors.container.ContainerExecutor;
import dev.gputracker.worker.jobs.queue.JobQueue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The executors a worker offers, as its {@link JobSettings} say: {@code noop} always, {@code
 * command} with ALLOW_NATIVE_JOBS=true, {@code container} when a Docker-compatible engine answers
 * at DOCKER_HOST, {@code gpu-benchmark} as GPU_BENCHMARK_JOBS says (by default when this worker has
 * GPUs). Started before the runner claims anything (the container engine is probed and this
 * worker's orphaned containers are removed).
 */
public final class JobExecutors {
  /** Characters of output kept per job. */
  public static final int LOG_TAIL_CHARS = 16_384;

  private final List<JobExecutor> all;
  private final ContainerExecutor containers;

  private JobExecutors(List<JobExecutor> all, ContainerExecutor containers) {
    this.all = all;
    this.containers = containers;
  }

  /**
   * Builds and starts them; never fails for a missing engine (that kind is then off, with the
   * reason logged).
   */
  public static Future<JobExecutors> start(
      Vertx vertx,
      Pool pool,
      JobSettings settings,
      String workerId,
      JobQueue queue,
      GpuDetection gpus) {
    ContainerExecutor containers = new ContainerExecutor(vertx, settings.containers(), workerId);
    List<JobExecutor> all =
        List.of(
            new NoopExecutor(),
            new CommandExecutor(vertx, settings.allowNativeJobs(), LOG_TAIL_CHARS),
            containers,
            new GpuBenchmarkExecutor(
                vertx,
                new BenchmarkStore(pool),
                workerId,
                gpus.gpus(),
                settings.gpuBenchmarks(),
                GpuBenchmark.Plan.DEFAULT));
    return containers.start(queue::liveLeases).map(v -> new JobExecutors(all, containers));
  }

  public List<JobExecutor> all() {
    return all;
  }

  /** The kinds this worker runs now, for logs: "noop, container". */
  public String describe() {
    String on =
        all.stream()
            .filter(JobExecutor::enabled)
            .map(JobExecutor::kind)
            .collect(Collectors.joining(", "));
    String off =
        containers.enabled() ? "" : "; container jobs off: " + containers.unavailableReason();
    return on + off;
  }

  public Future<Void> close() {
    return containers.close();
  }
}
