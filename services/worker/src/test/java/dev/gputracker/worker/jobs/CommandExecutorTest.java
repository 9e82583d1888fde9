package dev.gputracker.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.gpu.DetectedGpu;
import dev.gputracker.worker.jobs.executors.CommandExecutor;
import dev.gputracker.worker.jobs.queue.ClaimedJob;
import dev.gputracker.worker.jobs.queue.JobLimits;
import dev.gputracker.worker.jobs.queue.JobOutcome;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandExecutorTest {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private static ClaimedJob job(int timeout, String... argv) {
    return new ClaimedJob(
        1, "command", null, List.of(argv), new JsonObject().put("GREETING", "hi"), 0, timeout, 1);
  }

  /** A job that prints the CUDA_VISIBLE_DEVICES it was started with. */
  private static ClaimedJob gpuJob(List<DetectedGpu> devices) {
    return new ClaimedJob(
        2,
        "command",
        null,
        List.of("sh", "-c", "printf %s \"$CUDA_VISIBLE_DEVICES\""),
        new JsonObject(),
        devices.size(),
        null,
        10,
        1,
        JobLimits.DEFAULT,
        devices);
  }

  @Test
  @DisplayName(
      "on a host where CUDA order (H100 first) differs from PCI order (L4 first), CUDA_VISIBLE_DEVICES names"
          + " the assigned cards by UUID; with any UUID unknown, by the detected ordinals")
  void cudaVisibleDevices() {
    DetectedGpu h100 =
        new DetectedGpu(
            0,
            "NVIDIA H100 80GB HBM3",
            81_559,
            "9.0",
            "CUDA 12.4",
            "jcuda",
            "GPU-0b3c8a52-7f0e-4d6e-9a1b-2c3d4e5f6a7b",
            1);
    DetectedGpu l4 =
        new DetectedGpu(
            1,
            "NVIDIA L4",
            23_034,
            "8.9",
            "CUDA 12.4",
            "jcuda",
            "GPU-9f8e7d6c-5b4a-3210-fedc-ba9876543210",
            0);
    DetectedGpu l4NoUuid =
        new DetectedGpu(1, "NVIDIA L4", 23_034, "8.9", "CUDA 12.4", "jcuda", null, 0);
    CommandExecutor ex = new CommandExecutor(vertx, true, 1000);
    assertThat(ex.execute(gpuJob(List.of(l4))).await().logTail())
        .isEqualTo("GPU-9f8e7d6c-5b4a-3210-fedc-ba9876543210");
    assertThat(ex.execute(gpuJob(List.of(h100, l4))).await().logTail())
        .isEqualTo(
            "GPU-0b3c8a52-7f0e-4d6e-9a1b-2c3d4e5f6a7b,GPU-9f8e7d6c-5b4a-3210-fedc-ba9876543210");
    assertThat(ex.execute(gpuJob(List.of(h100, l4NoUuid))).await().logTail()).isEqualTo("0,1");
    assertThat(ex.execute(gpuJob(List.of())).await().logTail()).isEmpty();
  }

  @Test
  @DisplayName(
      "ordinals that nvidia-smi gave (PCI order) come with CUDA_DEVICE_ORDER=PCI_BUS_ID; CUDA ordinals without")
  void pciOrderForNvidiaSmiOrdinals() {
    DetectedGpu smiNoUuid =
        new DetectedGpu(1, "NVIDIA L4", 23_034, "8.9", "550.54", "nvidia-smi", null, 1);
    DetectedGpu cudaNoUuid =
        new DetectedGpu(1, "NVIDIA L4", 23_034, "8.9", "CUDA 12.4", "jcuda", null, 0);
    DetectedGpu smiWithUuid =
        new DetectedGpu(
            1,
            "NVIDIA L4",
            23_034,
            "8.9",
            "550.54",
            "nvidia-smi",
            "GPU-9f8e7d6c-5b4a-3210-fedc-ba9876543210",
            1);
    CommandExecutor ex = new CommandExecutor(vertx, true, 1000);
    String print = "printf '%s/%s' \"$CUDA_VISIBLE_DEVICES\" \"${CUDA_DEVICE_ORDER:-default}\"";
    assertThat(ex.execute(job(print, smiNoUuid)).await().logTail()).isEqualTo("1/PCI_BUS_ID");
    assertThat(ex.execute(job(print, cudaNoUuid)).await().logTail()).isEqualTo("1/" + inherited());
    assertThat(ex.execute(job(print, smiWithUuid)).await().logTail())
        .isEqualTo("GPU-9f8e7d6c-5b4a-3210-fedc-ba9876543210/" + inherited());
  }

  private static String inherited() {
    String order = System.getenv("CUDA_DEVICE_ORDER");
    return order == null || order.isEmpty() ? "default" : order;
  }

  private static ClaimedJob job(String script, DetectedGpu device) {
    return new ClaimedJob(
        3,
        "command",
        null,
        List.of("sh", "-c", script),
        new JsonObject(),
        1,
        null,
        10,
        1,
        JobLimits.DEFAULT,
        List.of(device));
  }

  @Test
  @DisplayName("exit codes decide success or failure and the output reaches the log tail")
  void exitCodes() {
    CommandExecutor ex = new CommandExecutor(vertx, true, 1000);
    JobOutcome ok = ex.execute(job(10, "sh", "-c", "echo $GREETING; exit 0")).await();
    assertThat(ok.state()).isEqualTo("succeeded");
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.logTail()).isEqualTo("hi\n");
    JobOutcome bad = ex.execute(job(10, "sh", "-c", "echo oops >&2; exit 7")).await();
    assertThat(bad.state()).isEqualTo("failed");
    assertThat(bad.exitCode()).isEqualTo(7);
    assertThat(bad.logTail()).contains("oops");
    assertThat(ex.execute(job(10, "/nonexistent/binary")).await().state()).isEqualTo("failed");
  }

  @Test
  @DisplayName("the log tail keeps only the last characters of long output")
  void boundedTail() {
    CommandExecutor ex = new CommandExecutor(vertx, true, 100);
    JobOutcome o = ex.execute(job(30, "sh", "-c", "seq 1 100000")).await();
    assertThat(o.logTail()).hasSize(100).endsWith("99999\n100000\n");
  }

  @Test
  @DisplayName("a timeout kills the whole process tree, background children included")
  void timeoutKillsTree(@TempDir Path dir) throws Exception {
    CommandExecutor ex = new CommandExecutor(vertx, true, 1000);
    Path pids = dir.resolve("pids");
    JobOutcome o =
        ex.execute(
                job(
                    2,
                    "sh",
                    "-c",
                    "sleep 60 & echo $! > " + pids + "; echo $$ >> " + pids + "; sleep 60"))
            .await();
    assertThat(o.state()).isEqualTo("timed_out");
    List<String> lines = Files.readAllLines(pids);
    assertThat(lines).hasSize(2);
    for (String pid : lines) {
      var handle = ProcessHandle.of(Long.parseLong(pid.trim()));
      if (handle.isPresent()) {
        handle.get().onExit().get(5, TimeUnit.SECONDS);
      }
      assertThat(
              ProcessHandle.of(Long.parseLong(pid.trim()))
                  .map(ProcessHandle::isAlive)
                  .orElse(false))
          .as("process %s", pid)
          .isFalse();
    }
  }

  @Test
  @DisplayName("without ALLOW_NATIVE_JOBS the executor is disabled and runs nothing")
  void disabled(@TempDir Path dir) {
    CommandExecutor ex = new CommandExecutor(vertx, false, 1000);
    Path marker = dir.resolve("ran");
    assertThat(ex.enabled()).isFalse();
    JobOutcome o = ex.execute(job(10, "touch", marker.toString())).await();
    assertThat(o.state()).isEqualTo("failed");
    assertThat(o.error()).contains("ALLOW_NATIVE_JOBS");
    assertThat(marker).doesNotExist();
  }
}
