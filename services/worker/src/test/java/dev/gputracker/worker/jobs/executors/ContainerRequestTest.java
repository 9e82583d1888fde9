package dev.gputracker.worker.jobs.executors;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import dev.gputracker.shared.config.Env;
import dev.gputracker.worker.config.ComponentSettings;
import dev.gputracker.worker.gpu.DetectedGpu;
import dev.gputracker.worker.jobs.executors.container.ContainerRequest;
import dev.gputracker.worker.jobs.executors.container.ContainerSettings;
import dev.gputracker.worker.jobs.queue.ClaimedJob;
import dev.gputracker.worker.jobs.queue.JobLimits;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the engine is asked for. GPU device requests need an NVIDIA host with its container toolkit,
 * which this machine is not, so they are checked as the request the engine receives; everything
 * else is also proven against a real engine in ContainerExecutorTest.
 */
class ContainerRequestTest {
  private static final ContainerSettings DEFAULTS = ComponentSettings.containers(new Env(Map.of()));
  private static final String H100_UUID = "GPU-0b3c8a52-7f0e-4d6e-9a1b-2c3d4e5f6a7b";
  private static final String L4_UUID = "GPU-9f8e7d6c-5b4a-3210-fedc-ba9876543210";

  /**
   * A mixed host: CUDA puts the H100 (PCI bus 0x41) first, the toolkit counts the L4 (bus 0x01)
   * first.
   */
  private static final DetectedGpu H100 =
      new DetectedGpu(
          0, "NVIDIA H100 80GB HBM3", 81_559, "9.0", "CUDA 12.4", "jcuda", H100_UUID, 1);

  private static final DetectedGpu L4 =
      new DetectedGpu(1, "NVIDIA L4", 23_034, "8.9", "CUDA 12.4", "jcuda", L4_UUID, 0);

  private static DetectedGpu withoutUuid(DetectedGpu g) {
    return new DetectedGpu(
        g.index(),
        g.name(),
        g.memoryMb(),
        g.computeCapability(),
        g.driverVersion(),
        g.source(),
        null,
        g.toolkitIndex());
  }

  private static ClaimedJob job(JobLimits limits, List<DetectedGpu> devices) {
    return new ClaimedJob(
        7,
        "container",
        "img",
        List.of(),
        new JsonObject().put("A", "1"),
        devices.size(),
        null,
        60,
        2,
        limits,
        devices);
  }

  @Test
  @DisplayName("Docker gets an NVIDIA device request naming exactly the job's GPUs by UUID")
  void dockerGpus() {
    HostConfig host =
        ContainerRequest.hostConfig(job(JobLimits.DEFAULT, List.of(H100, L4)), DEFAULTS, false);
    DeviceRequest gpu = host.getDeviceRequests().get(0);
    assertThat(gpu.getDriver()).isEqualTo("nvidia");
    assertThat(gpu.getDeviceIds()).containsExactly(H100_UUID, L4_UUID);
    assertThat(gpu.getCapabilities()).containsExactly(List.of("gpu"));
  }

  @Test
  @DisplayName(
      "without a UUID, Docker gets the device's PCI-order index (the toolkit's count), not CUDA's ordinal")
  void dockerFallsBackToToolkitIndex() {
    DeviceRequest gpu =
        ContainerRequest.hostConfig(
                job(JobLimits.DEFAULT, List.of(withoutUuid(H100))), DEFAULTS, false)
            .getDeviceRequests()
            .get(0);
    assertThat(gpu.getDeviceIds()).containsExactly("1");
    assertThat(ContainerRequest.deviceIds(List.of(withoutUuid(L4), H100), false))
        .containsExactly("0", H100_UUID);
  }

  @Test
  @DisplayName(
      "podman gets CDI names by PCI-order index, even where CUDA's order differs and a UUID is known")
  void podmanGpus() {
    HostConfig host =
        ContainerRequest.hostConfig(job(JobLimits.DEFAULT, List.of(H100)), DEFAULTS, true);
    assertThat(host.getDeviceRequests().get(0).getDriver()).isEqualTo("cdi");
    assertThat(host.getDeviceRequests().get(0).getDeviceIds()).containsExactly("nvidia.com/gpu=1");
    assertThat(ContainerRequest.deviceIds(List.of(H100, withoutUuid(L4)), true))
        .containsExactly("nvidia.com/gpu=1", "nvidia.com/gpu=0");
  }

  @Test
  @DisplayName(
      "on a host where CUDA and PCI order differ, a job given CUDA device 1 (the L4) gets the L4 on both"
          + " engines, never the H100 that CUDA ordinal 1 would name for the toolkit")
  void mixedHostNamesTheReservedCard() {
    ClaimedJob l4Job = job(JobLimits.DEFAULT, List.of(L4));
    assertThat(
            ContainerRequest.hostConfig(l4Job, DEFAULTS, false)
                .getDeviceRequests()
                .get(0)
                .getDeviceIds())
        .containsExactly(L4_UUID);
    assertThat(
            ContainerRequest.hostConfig(l4Job, DEFAULTS, true)
                .getDeviceRequests()
                .get(0)
                .getDeviceIds())
        .containsExactly("nvidia.com/gpu=0");
    ClaimedJob h100Job = job(JobLimits.DEFAULT, List.of(withoutUuid(H100)));
    assertThat(
            ContainerRequest.hostConfig(h100Job, DEFAULTS, false)
                .getDeviceRequests()
                .get(0)
                .getDeviceIds())
        .containsExactly("1");
  }

  @Test
  @DisplayName("no GPUs, no network, the worker's default limits, no swap, no new privileges")
  void defaults() {
    HostConfig host =
        ContainerRequest.hostConfig(job(JobLimits.DEFAULT, List.of()), DEFAULTS, false);
    assertThat(host.getDeviceRequests()).isNullOrEmpty();
    assertThat(host.getNetworkMode()).isEqualTo("none");
    assertThat(host.getMemory()).isEqualTo(2048L * 1024 * 1024);
    assertThat(host.getMemorySwap()).isEqualTo(host.getMemory());
    assertThat(host.getNanoCPUs()).isEqualTo(2_000_000_000L);
    assertThat(host.getPidsLimit()).isEqualTo(1024L);
    assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
  }

  @Test
  @DisplayName(
      "a job's own limits and network win over the defaults; labels tie the container to job and worker")
  void jobLimits() {
    ClaimedJob job = job(new JobLimits(true, 512, 0.5), List.of());
    HostConfig host = ContainerRequest.hostConfig(job, DEFAULTS, false);
    assertThat(host.getNetworkMode()).isEqualTo("bridge");
    assertThat(host.getMemory()).isEqualTo(512L * 1024 * 1024);
    assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(ContainerRequest.labels(job, "w1"))
        .containsEntry(ContainerRequest.LABEL_JOB, "7")
        .containsEntry(ContainerRequest.LABEL_WORKER, "w1")
        .containsEntry(ContainerRequest.LABEL_ATTEMPT, "2");
    assertThat(ContainerRequest.env(job)).containsExactly("A=1");
  }
}
