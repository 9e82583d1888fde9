package dev.gputracker.worker.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.gputracker.shared.config.Env;
import dev.gputracker.worker.cli.GpusCommand;
import dev.gputracker.worker.config.ComponentSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU detection. The build machine has no GPU, no NVIDIA driver and no CUDA, so the driver-API
 * probe is exercised only as it fails there; {@code nvidia-smi} is a real executable script on a
 * temporary PATH that prints output saved from real machines (an H100 and an A100 node), which is
 * the one thing mocked: the GPU itself.
 */
class GpuDetectorTest {
  private static final String H100_UUID = "GPU-5e4a0f6c-1b2d-3c4e-8f90-a1b2c3d4e5f6";
  private static final String A100_UUID = "GPU-d2f1c3b4-a596-4870-b1c2-d3e4f5061728";

  /**
   * {@code nvidia-smi --query-gpu=index,uuid,name,memory.total,compute_cap,driver_version
   * --format=csv,noheader,nounits}.
   */
  private static final String H100_A100 =
      """
      0, GPU-5e4a0f6c-1b2d-3c4e-8f90-a1b2c3d4e5f6, NVIDIA H100 80GB HBM3, 81559, 9.0, 535.104.05
      1, GPU-d2f1c3b4-a596-4870-b1c2-d3e4f5061728, NVIDIA A100-SXM4-40GB, 40960, 8.0, 535.104.05
      """;

  @TempDir Path bin;

  private Path fakeSmi(String script) throws IOException {
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    return smi;
  }

  private GpuDetector detector(String path) {
    return new GpuDetector(ComponentSettings.gpu(new Env(Map.of("PATH", path))));
  }

  private static boolean cudaDriverPresent() {
    return Files.exists(Path.of("/dev/nvidiactl"));
  }

  @Test
  @DisplayName(
      "nvidia-smi's CSV gives each GPU's index (also its PCI-order toolkit index), UUID, name, memory,"
          + " compute capability and driver, with the query asked")
  void nvidiaSmi() throws IOException {
    fakeSmi("echo \"$@\" > \"$(dirname \"$0\")/args\"\ncat <<'EOF'\n" + H100_A100 + "EOF\n");
    GpuDetection found = detector(bin + ":/usr/bin:/bin").viaNvidiaSmi();
    assertThat(found.method()).isEqualTo("nvidia-smi");
    assertThat(found.gpus())
        .containsExactly(
            new DetectedGpu(
                0, "NVIDIA H100 80GB HBM3", 81559, "9.0", "535.104.05", "nvidia-smi", H100_UUID, 0),
            new DetectedGpu(
                1,
                "NVIDIA A100-SXM4-40GB",
                40960,
                "8.0",
                "535.104.05",
                "nvidia-smi",
                A100_UUID,
                1));
    assertThat(found.notes()).isEmpty();
    assertThat(Files.readString(bin.resolve("args")).strip())
        .isEqualTo(
            "--query-gpu=index,uuid,name,memory.total,compute_cap,driver_version --format=csv,noheader,nounits");
  }

  @Test
  @DisplayName("a driver older than compute_cap is asked again without it, still with the UUID")
  void oldDriver() throws IOException {
    fakeSmi(
        "echo \"$1\" >> \"$(dirname \"$0\")/args\"\n"
            + "case \"$1\" in *compute_cap*) echo 'Field \"compute_cap\" is not a valid field to query.'; exit 2;; esac\n"
            + "echo '0, GPU-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9, Tesla V100-SXM2-16GB, 16160 MiB, 470.82.01'\n");
    GpuDetection found = detector(bin.toString()).viaNvidiaSmi();
    assertThat(found.gpus())
        .containsExactly(
            new DetectedGpu(
                0,
                "Tesla V100-SXM2-16GB",
                16160,
                null,
                "470.82.01",
                "nvidia-smi",
                "GPU-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
                0));
    assertThat(Files.readAllLines(bin.resolve("args")))
        .containsExactly(
            "--query-gpu=index,uuid,name,memory.total,compute_cap,driver_version",
            "--query-gpu=index,uuid,name,memory.total,driver_version");
  }

  @Test
  @DisplayName(
      "the UUID is the second field even when the name holds commas; \"[N/A]\" means unknown (null)")
  void uuidField() {
    GpuDetection found =
        GpuDetector.parse(
            """
        3, GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee, NVIDIA RTX 6000, Ada Generation, 49140, 8.9, 550.54.14
        1, [N/A], Tesla K80, 11441, [N/A], 470.82.01
        2, GPU-11111111-2222-3333-4444-555555555555, Quadro, P5000, 16384, 470.82.01
        """);
    assertThat(found.notes()).isEmpty();
    assertThat(found.gpus())
        .containsExactly(
            new DetectedGpu(
                3,
                "NVIDIA RTX 6000, Ada Generation",
                49140,
                "8.9",
                "550.54.14",
                "nvidia-smi",
                "GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
                3),
            new DetectedGpu(1, "Tesla K80", 11441, null, "470.82.01", "nvidia-smi", null, 1),
            new DetectedGpu(
                2,
                "Quadro, P5000",
                16384,
                null,
                "470.82.01",
                "nvidia-smi",
                "GPU-11111111-2222-3333-4444-555555555555",
                2));
  }

  @Test
  @DisplayName(
      "a line without a UUID in the second field (output of the old query) is named, not misread")
  void lineWithoutUuid() {
    GpuDetection found = GpuDetector.parse("0, NVIDIA H100 80GB HBM3, 81559, 9.0, 535.104.05\n");
    assertThat(found.gpus()).isEmpty();
    assertThat(found.notes())
        .singleElement()
        .asString()
        .startsWith("nvidia-smi: unreadable line (uuid");
  }

  @Test
  @DisplayName("malformed lines are left out and named; good lines beside them still count")
  void malformed() {
    GpuDetection mixed =
        GpuDetector.parse(
            """
        garbage without commas
        0, GPU-00000000-0000-0000-0000-000000000000, NVIDIA GeForce RTX 4090, 24564, 8.9, 550.54.14\r
        x, GPU-11111111-1111-1111-1111-111111111111, NVIDIA H100, 81559, 9.0, 535.104.05
        1, GPU-22222222-2222-2222-2222-222222222222, NVIDIA H100, lots, 9.0, 535.104.05

        2, [N/A], NVIDIA L4, 23034, [N/A], [N/A]
        """);
    assertThat(mixed.gpus()).extracting(DetectedGpu::index).containsExactly(0, 2);
    assertThat(mixed.gpus().get(1))
        .isEqualTo(new DetectedGpu(2, "NVIDIA L4", 23034, null, null, "nvidia-smi", null, 2));
    assertThat(mixed.notes())
        .hasSize(3)
        .allSatisfy(n -> assertThat(n).startsWith("nvidia-smi: unreadable line"));
    assertThat(mixed.notes().get(2)).contains("memory.total").contains("lots");

    GpuDetection allBad =
        GpuDetector.parse(
            "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.");
    assertThat(allBad.method()).isEqualTo("none");
    assertThat(allBad.gpus()).isEmpty();
  }

  @Test
  @DisplayName(
      "nvidia-smi failing (exit status, no driver) is reported with its message, not thrown")
  void smiFails() throws IOException {
    fakeSmi(
        "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"\nexit 9\n");
    GpuDetection found = detector(bin.toString()).viaNvidiaSmi();
    assertThat(found.gpus()).isEmpty();
    assertThat(found.notes())
        .containsExactly(
            "nvidia-smi: exit 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.");
  }

  @Test
  @DisplayName(
      "without nvidia-smi on PATH (and, here, without CUDA) detection finds none and says why for each probe")
  void absent() {
    assumeFalse(
        cudaDriverPresent(),
        "this machine has an NVIDIA driver; the no-GPU path cannot be shown here");
    GpuDetection found = detector(bin.toString()).detect();
    assertThat(found.method()).isEqualTo("none");
    assertThat(found.gpus()).isEmpty();
    assertThat(found.notes()).hasSize(2);
    assertThat(found.notes().get(0)).startsWith("jcuda: ");
    assertThat(found.notes().get(1)).isEqualTo("nvidia-smi: not found on PATH");
  }

  @Test
  @DisplayName(
      "on this machine (no CUDA driver) the JCuda probe fails cleanly, twice in one JVM, and detection falls back to nvidia-smi")
  void jcudaFallsBack() throws IOException {
    assumeFalse(
        cudaDriverPresent(),
        "this machine has an NVIDIA driver; the JCuda failure path cannot be shown here");
    GpuDetector detector = detector(bin.toString());
    // The first call fails loading the natives, later ones find the class unusable: both must be
    // plain results.
    for (int i = 0; i < 2; i++) {
      GpuDetection cuda = detector.viaDriverApi();
      assertThat(cuda.method()).isEqualTo("none");
      assertThat(cuda.gpus()).isEmpty();
      assertThat(cuda.notes()).singleElement().asString().startsWith("jcuda: no CUDA driver: ");
    }
    fakeSmi("cat <<'EOF'\n" + H100_A100 + "EOF\n");
    GpuDetection found = detector.detect();
    assertThat(found.method()).isEqualTo("nvidia-smi");
    assertThat(found.gpus()).hasSize(2);
    assertThat(found.notes()).singleElement().asString().startsWith("jcuda: no CUDA driver: ");
  }

  @Test
  @DisplayName(
      "SKIP_GPU_CHECK=true skips every probe, even with nvidia-smi present; detect(vertx) runs off the event loop")
  void skipped() throws IOException {
    fakeSmi("cat <<'EOF'\n" + H100_A100 + "EOF\n");
    GpuDetection found =
        new GpuDetector(
                ComponentSettings.gpu(
                    new Env(Map.of("PATH", bin.toString(), "SKIP_GPU_CHECK", "true"))))
            .detect();
    assertThat(found.method()).isEqualTo("skipped");
    assertThat(found.gpus()).isEmpty();

    Vertx vertx = Vertx.vertx();
    try {
      GpuDetection viaVertx =
          vertx
              .<GpuDetection>executeBlocking(() -> null)
              .compose(v -> detector(bin.toString()).detect(vertx))
              .await();
      assertThat(viaVertx.gpus())
          .extracting(DetectedGpu::name)
          .containsExactly("NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-40GB");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName(
      "the gpus command prints what was found (table or JSON) and exits 0 with GPUs, 2 without")
  void gpusCommand() throws IOException {
    ByteArrayOutputStream none = new ByteArrayOutputStream();
    int noneStatus =
        new GpusCommand(new PrintStream(none, true, StandardCharsets.UTF_8))
            .run(new Env(Map.of("PATH", bin.toString(), "SKIP_GPU_CHECK", "true")), List.of());
    assertThat(noneStatus).isEqualTo(GpusCommand.EXIT_NO_GPU);
    assertThat(none.toString(StandardCharsets.UTF_8))
        .startsWith("detection: skipped (0 GPUs)")
        .contains("note: SKIP_GPU_CHECK=true");

    fakeSmi("cat <<'EOF'\n" + H100_A100 + "EOF\n");
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    int status =
        new GpusCommand(new PrintStream(table, true, StandardCharsets.UTF_8))
            .run(new Env(Map.of("PATH", bin.toString())), List.of());
    assertThat(status).isZero();
    assertThat(table.toString(StandardCharsets.UTF_8))
        .contains("detection: nvidia-smi (2 GPUs)")
        .containsPattern(
            "(?m)^0 +NVIDIA H100 80GB HBM3 +81559 +9\\.0 +535\\.104\\.05 +nvidia-smi +"
                + H100_UUID
                + "$");

    ByteArrayOutputStream json = new ByteArrayOutputStream();
    new GpusCommand(new PrintStream(json, true, StandardCharsets.UTF_8))
        .run(new Env(Map.of("PATH", bin.toString())), List.of("--json"));
    JsonObject doc = new JsonObject(json.toString(StandardCharsets.UTF_8));
    assertThat(doc.getString("method")).isEqualTo("nvidia-smi");
    assertThat(doc.getJsonArray("gpus").getJsonObject(1).getLong("memory_mb")).isEqualTo(40960L);
    assertThat(doc.getJsonArray("gpus").getJsonObject(1).getString("compute_capability"))
        .isEqualTo("8.0");
    assertThat(doc.getJsonArray("gpus").getJsonObject(1).getString("uuid")).isEqualTo(A100_UUID);
    assertThat(doc.getJsonArray("gpus").getJsonObject(1).getInteger("toolkit_index")).isEqualTo(1);
  }
}
