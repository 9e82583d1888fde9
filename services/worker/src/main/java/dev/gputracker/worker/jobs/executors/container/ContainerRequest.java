package dev.gputracker.worker.jobs.executors.container;

import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import dev.gputracker.worker.gpu.DetectedGpu;
import dev.gputracker.worker.jobs.queue.ClaimedJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine is asked to create for a job: limits, GPUs, network and the labels that tie the
 * container to its job and worker. Pure, so the GPU requests (which need an NVIDIA host to run) are
 * tested here.
 */
public final class ContainerRequest {
  /** The job id; every container the worker creates carries it. */
  public static final String LABEL_JOB = "dev.gputracker.job";

  /**
   * The worker id that created it: a worker that starts again under the same id removes what it
   * left.
   */
  public static final String LABEL_WORKER = "dev.gputracker.worker";

  public static final String LABEL_ATTEMPT = "dev.gputracker.attempt";

  private ContainerRequest() {}

  public static Map<String, String> labels(ClaimedJob job, String workerId) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_JOB, Long.toString(job.id()));
    labels.put(LABEL_WORKER, workerId);
    labels.put(LABEL_ATTEMPT, Integer.toString(job.attempt()));
    return labels;
  }

  /** The job's environment as KEY=value pairs. */
  public static List<String> env(ClaimedJob job) {
    List<String> env = new ArrayList<>();
    if (job.env() != null) {
      job.env().forEach(e -> env.add(e.getKey() + "=" + e.getValue()));
    }
    return env;
  }

  /**
   * Limits (the job's or the worker's defaults; no swap beyond the memory limit), a pids limit, no
   * new privileges, no network unless the job asked for one, and the job's GPUs as {@link
   * #deviceIds} names them.
   */
  public static HostConfig hostConfig(ClaimedJob job, ContainerSettings settings, boolean podman) {
    long memory =
        (job.limits().memoryMb() != null ? job.limits().memoryMb() : settings.memoryMb())
            * 1024L
            * 1024L;
    double cpus = job.limits().cpus() != null ? job.limits().cpus() : settings.cpus();
    HostConfig host =
        HostConfig.newHostConfig()
            .withMemory(memory)
            .withMemorySwap(memory)
            .withNanoCPUs((long) (cpus * 1e9))
            .withPidsLimit(settings.pidsLimit())
            .withSecurityOpts(List.of("no-new-privileges"))
            .withNetworkMode(job.limits().network() ? "bridge" : "none")
            .withInit(true);
    if (!job.devices().isEmpty()) {
      host.withDeviceRequests(List.of(gpuRequest(job.devices(), podman)));
    }
    return host;
  }

  static DeviceRequest gpuRequest(List<DetectedGpu> devices, boolean podman) {
    if (podman) {
      return new DeviceRequest().withDriver("cdi").withDeviceIds(deviceIds(devices, true));
    }
    return new DeviceRequest()
        .withDriver("nvidia")
        .withDeviceIds(deviceIds(devices, false))
        .withCapabilities(List.of(List.of("gpu")));
  }

  /**
   * The job's GPUs as the engine is asked for them. The NVIDIA container toolkit counts devices in
   * PCI order, not CUDA's, so a CUDA ordinal could name another card. Docker: each device's UUID
   * ({@code --gpus device=GPU-...}), else its PCI-order index. podman: CDI names {@code
   * nvidia.com/gpu=<PCI-order index>}, the naming that {@code nvidia-ctk cdi generate} always
   * writes (UUID names depend on its options).
   */
  public static List<String> deviceIds(List<DetectedGpu> devices, boolean podman) {
    if (podman) {
      return devices.stream().map(d -> "nvidia.com/gpu=" + d.toolkitIndex()).toList();
    }
    return devices.stream()
        .map(d -> d.uuid() != null ? d.uuid() : String.valueOf(d.toolkitIndex()))
        .toList();
  }
}
