package dev.gputracker.worker.jobs.queue;

import dev.gputracker.worker.gpu.DetectedGpu;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A job leased to one worker.
 *
 * @param minVramGb the VRAM each of its GPUs needs, or null
 * @param devices the GPUs the runner gave it (as many as {@code gpus}); empty before assignment.
 *     Whole devices, since each executor names them its own way: CUDA ordinal, PCI-order index or
 *     UUID
 */
public record ClaimedJob(
    long id,
    String kind,
    String image,
    List<String> command,
    JsonObject env,
    int gpus,
    Double minVramGb,
    int timeoutSeconds,
    int attempt,
    JobLimits limits,
    List<DetectedGpu> devices) {

  /** A job that needs no GPU, with the default limits. */
  public ClaimedJob(
      long id,
      String kind,
      String image,
      List<String> command,
      JsonObject env,
      int gpus,
      int timeoutSeconds,
      int attempt) {
    this(
        id,
        kind,
        image,
        command,
        env,
        gpus,
        null,
        timeoutSeconds,
        attempt,
        JobLimits.DEFAULT,
        List.of());
  }

  public ClaimedJob withDevices(List<DetectedGpu> assigned) {
    return new ClaimedJob(
        id,
        kind,
        image,
        command,
        env,
        gpus,
        minVramGb,
        timeoutSeconds,
        attempt,
        limits,
        List.copyOf(assigned));
  }

  public ClaimedJob withLimits(JobLimits replaced) {
    return new ClaimedJob(
        id, kind, image, command, env, gpus, minVramGb, timeoutSeconds, attempt, replaced, devices);
  }
}
