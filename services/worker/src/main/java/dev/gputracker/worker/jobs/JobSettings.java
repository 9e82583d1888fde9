package dev.gputracker.worker.jobs;

import dev.gputracker.worker.jobs.executors.GpuBenchmarkExecutor;
import dev.gputracker.worker.jobs.executors.container.ContainerSettings;
import java.time.Duration;

/**
 * How this worker runs compute jobs, read once at start-up ({@code config.ComponentSettings}; every
 * variable is in README's table).
 *
 * @param capacity {@code JOB_CAPACITY}: compute jobs run at once (default 4; 0 runs none; {@code
 *     jobs run --capacity} sets its own)
 * @param heartbeat {@code WORKER_HEARTBEAT_SECONDS}: how often the worker's row in {@code workers}
 *     is refreshed (default 15); three missed heartbeats and readers call the worker gone
 * @param allowNativeJobs {@code ALLOW_NATIVE_JOBS} (default false): run {@code command} jobs as
 *     native processes
 * @param gpuBenchmarks {@code GPU_BENCHMARK_JOBS} (default auto): when {@code gpu-benchmark} jobs
 *     are claimed
 * @param containers how {@code container} jobs run
 */
public record JobSettings(
    int capacity,
    Duration heartbeat,
    boolean allowNativeJobs,
    GpuBenchmarkExecutor.Policy gpuBenchmarks,
    ContainerSettings containers) {

  public JobSettings withCapacity(int replaced) {
    return new JobSettings(replaced, heartbeat, allowNativeJobs, gpuBenchmarks, containers);
  }
}
