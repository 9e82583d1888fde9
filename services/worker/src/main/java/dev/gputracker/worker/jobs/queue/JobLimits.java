package dev.gputracker.worker.jobs.queue;

/**
 * What a container job may use beyond its GPUs.
 *
 * @param network whether the container gets a network (off unless the job asks)
 * @param memoryMb the memory limit in MiB, or null for the worker's default
 * @param cpus the CPU limit (1.5 = one and a half cores), or null for the worker's default
 */
public record JobLimits(boolean network, Integer memoryMb, Double cpus) {
  public static final JobLimits DEFAULT = new JobLimits(false, null, null);

  /**
   * @throws IllegalArgumentException naming the invalid limit
   */
  void validate() {
    if (memoryMb != null && (memoryMb < 6 || memoryMb > 4_194_304)) {
      throw new IllegalArgumentException("memory must be 6..4194304 MiB, got " + memoryMb);
    }
    if (cpus != null && (cpus.isNaN() || cpus <= 0 || cpus > 1024)) {
      throw new IllegalArgumentException("cpus must be > 0 and <= 1024, got " + cpus);
    }
  }
}
