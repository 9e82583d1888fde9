package dev.gputracker.worker.jobs.executors;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import dev.gputracker.shared.config.Env;
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
 * What the engine is asked for. GPU device requests need an NVIDIA host with its container toolkit, which this
 * machine is not, so they are checked as the request the engine receives; everything else is also proven against
 * a real engine in ContainerExecutorTest.
 */
class ContainerRequestTest {
  private static final ContainerSettings DEFAULTS = ContainerSettings.from(new Env(Map.of()));

  private static ClaimedJob job(JobLimits limits, List<Integer> devices) {
    return new ClaimedJob(7, "container", "img", List.of(), new JsonObject().put("A", "1"), devices.size(), null,
        60, 2, limits, devices);
  }

  @Test
  @DisplayName("Docker gets an NVIDIA device request for exactly the job's GPUs")
  void dockerGpus() {
    HostConfig host = ContainerRequest.hostConfig(job(JobLimits.DEFAULT, List.of(1, 3)), DEFAULTS, false);
    DeviceRequest gpu = host.getDeviceRequests().get(0);
    assertThat(gpu.getDriver()).isEqualTo("nvidia");
    assertThat(gpu.getDeviceIds()).containsExactly("1", "3");
    assertThat(gpu.getCapabilities()).containsExactly(List.of("gpu"));
  }

  @Test
  @DisplayName("podman gets CDI device names for the job's GPUs")
  void podmanGpus() {
    HostConfig host = ContainerRequest.hostConfig(job(JobLimits.DEFAULT, List.of(0)), DEFAULTS, true);
    assertThat(host.getDeviceRequests().get(0).getDriver()).isEqualTo("cdi");
    assertThat(host.getDeviceRequests().get(0).getDeviceIds()).containsExactly("nvidia.com/gpu=0");
  }

  @Test
  @DisplayName("no GPUs, no network, the worker's default limits, no swap, no new privileges")
  void defaults() {
    HostConfig host = ContainerRequest.hostConfig(job(JobLimits.DEFAULT, List.of()), DEFAULTS, false);
    assertThat(host.getDeviceRequests()).isNullOrEmpty();
    assertThat(host.getNetworkMode()).isEqualTo("none");
    assertThat(host.getMemory()).isEqualTo(2048L * 1024 * 1024);
    assertThat(host.getMemorySwap()).isEqualTo(host.getMemory());
    assertThat(host.getNanoCPUs()).isEqualTo(2_000_000_000L);
    assertThat(host.getPidsLimit()).isEqualTo(1024L);
    assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
  }

  @Test
  @DisplayName("a job's own limits and network win over the defaults; labels tie the container to job and worker")
  void jobLimits() {
    ClaimedJob job = job(new JobLimits(true, 512, 0.5), List.of());
    HostConfig host = ContainerRequest.hostConfig(job, DEFAULTS, false);
    assertThat(host.getNetworkMode()).isEqualTo("bridge");
    assertThat(host.getMemory()).isEqualTo(512L * 1024 * 1024);
    assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(ContainerRequest.labels(job, "w1")).containsEntry(ContainerRequest.LABEL_JOB, "7")
        .containsEntry(ContainerRequest.LABEL_WORKER, "w1").containsEntry(ContainerRequest.LABEL_ATTEMPT, "2");
    assertThat(ContainerRequest.env(job)).containsExactly("A=1");
  }
}
