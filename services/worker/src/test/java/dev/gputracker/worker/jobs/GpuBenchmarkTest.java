package dev.gputracker.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.benchmarks.BenchmarkStore;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.gpu.DetectedGpu;
import dev.gputracker.worker.gpu.GpuBenchmark;
import dev.gputracker.worker.jobs.cli.JobsCommand;
import dev.gputracker.worker.jobs.executors.GpuBenchmarkExecutor;
import dev.gputracker.worker.jobs.executors.GpuBenchmarkExecutor.Policy;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.jobs.queue.JobSpec;
import dev.gputracker.worker.testing.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The gpu-benchmark job kind. The build machines have no GPU: there the job must fail with the
 * reason, through the real runner and database; the store is fed given figures (not measured ones)
 * to check what it writes; and the real measurement runs only where a CUDA device is present, so a
 * GPU machine proves it.
 */
class GpuBenchmarkTest {
  private static final String NO_GPU =
      "no CUDA device on this machine: the real measurement runs only on one with an NVIDIA GPU and its driver";

  /** Small enough for any GPU and a quick test; the default plan is what jobs use. */
  private static final GpuBenchmark.Plan SMALL = new GpuBenchmark.Plan(64L << 20, 5, 2048, 2, 5);

  private Vertx vertx;
  private Pool pool;
  private JobQueue queue;
  private DatabaseUrl url;

  @BeforeEach
  void setUp() {
    url = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, url, "gpu-bench-" + UUID.randomUUID(), 8);
    queue = new JobQueue(pool);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private GpuBenchmarkExecutor executor(List<DetectedGpu> detected, Policy policy) {
    return new GpuBenchmarkExecutor(
        vertx, new BenchmarkStore(pool), "bench-worker", detected, policy, SMALL);
  }

  private JobRunner runner(GpuSlots gpus, GpuBenchmarkExecutor executor) {
    return new JobRunner(
        vertx,
        queue,
        new JobRunner.Settings("bench-worker", 4, gpus, 30, 30_000),
        List.of(executor));
  }

  private static JobSpec benchmark(int gpus) {
    return new JobSpec(
        "gpu-benchmark", null, List.of(), new JsonObject(), gpus, null, 600, 0, 1, null);
  }

  private String state(long id) {
    return (String) Sql.single(url, "SELECT state FROM jobs WHERE id = ?", id);
  }

  private String error(long id) {
    return (String) Sql.single(url, "SELECT error FROM jobs WHERE id = ?", id);
  }

  @Test
  @DisplayName(
      "on a worker without a CUDA driver, a claimed gpu-benchmark job fails with the reason and stores"
          + " nothing")
  void failsWithoutDriver() {
    Assumptions.assumeFalse(
        GpuBenchmark.available(),
        "this machine has a CUDA device: the failure path needs one" + " without");
    long all = queue.submit(benchmark(0)).await();
    assertThat(runner(GpuSlots.none(), executor(List.of(), Policy.ON)).runQueuedNow().await())
        .isEqualTo(1);
    assertThat(state(all)).isEqualTo("failed");
    assertThat(error(all))
        .matches(
            "(no CUDA driver on this worker \\(libcuda\\.so\\.1 not found\\)"
                + "|the CUDA driver .*): gpu-benchmark needs an NVIDIA GPU");
    assertThat(Sql.count(url, "SELECT count(*) FROM gpu_benchmarks")).isZero();
  }

  @Test
  @DisplayName(
      "a job given a device the runner believes in still fails with the reason when the driver is"
          + " missing: auto mode claims because detection listed a GPU")
  void autoClaimsWithDetectedGpu() {
    Assumptions.assumeFalse(
        GpuBenchmark.available(),
        "this machine has a CUDA device: the failure path needs one" + " without");
    // Detection is described, not real: this machine has no GPU, so the claimed job meets no
    // driver.
    List<DetectedGpu> described =
        List.of(
            new DetectedGpu(
                0, "NVIDIA H100 80GB HBM3", 81_559, "9.0", "CUDA 12.4", "test", null, 0));
    long one = queue.submit(benchmark(1)).await();
    GpuSlots slots = new GpuSlots(described);
    assertThat(runner(slots, executor(described, Policy.AUTO)).runQueuedNow().await()).isEqualTo(1);
    assertThat(state(one)).isEqualTo("failed");
    assertThat(error(one)).contains("gpu-benchmark needs an NVIDIA GPU");
    assertThat(slots.freeCount()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "auto mode on a worker whose detection found no GPU, and off mode, never claim gpu-benchmark jobs")
  void gpuLessWorkerLeavesJobsQueued() {
    long id = queue.submit(benchmark(0)).await();
    assertThat(executor(List.of(), Policy.AUTO).enabled()).isFalse();
    assertThat(runner(GpuSlots.none(), executor(List.of(), Policy.AUTO)).runQueuedNow().await())
        .isZero();
    List<DetectedGpu> described =
        List.of(new DetectedGpu(0, "NVIDIA L4", 22_491, "8.9", "CUDA 12.4", "test", null, 0));
    assertThat(
            runner(new GpuSlots(described), executor(described, Policy.OFF)).runQueuedNow().await())
        .isZero();
    assertThat(state(id)).isEqualTo("queued");
  }

  @Test
  @DisplayName(
      "jobs run on a GPU-less host claims a gpu-benchmark job only with GPU_BENCHMARK_JOBS=on, and then"
          + " fails it with the reason")
  void jobsRunCommand() throws Exception {
    Assumptions.assumeFalse(
        GpuBenchmark.available(),
        "this machine has a CUDA device: the failure path needs one" + " without");
    String db =
        "postgresql://"
            + url.user()
            + ":"
            + url.password()
            + "@"
            + url.host()
            + ":"
            + url.port()
            + "/"
            + url.database();
    assertThat(
            cli(
                Map.of("DATABASE_URL", db),
                "submit",
                "--kind",
                "gpu-benchmark",
                "--timeout",
                "120"))
        .isZero();
    long id = new JsonObject(lastOut).getLong("id");
    // SKIP_GPU_CHECK keeps nvidia-smi on a developer's PATH out of it: detection finds nothing
    // either way here.
    assertThat(cli(Map.of("DATABASE_URL", db, "SKIP_GPU_CHECK", "true"), "run", "--oneshot"))
        .isZero();
    assertThat(new JsonObject(lastOut).getInteger("ran")).isZero();
    assertThat(state(id)).isEqualTo("queued");
    assertThat(
            cli(
                Map.of("DATABASE_URL", db, "SKIP_GPU_CHECK", "true", "GPU_BENCHMARK_JOBS", "on"),
                "run",
                "--oneshot"))
        .isZero();
    assertThat(new JsonObject(lastOut).getInteger("ran")).isEqualTo(1);
    assertThat(state(id)).isEqualTo("failed");
    assertThat(error(id)).endsWith(": gpu-benchmark needs an NVIDIA GPU");
    assertThat(
            cli(Map.of("DATABASE_URL", db, "GPU_BENCHMARK_JOBS", "sometimes"), "run", "--oneshot"))
        .isEqualTo(2);
    assertThat(lastErr).contains("GPU_BENCHMARK_JOBS must be one of auto, on, off");
  }

  private String lastOut;
  private String lastErr;

  private int cli(Map<String, String> env, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new JobsCommand(
                new Env(env),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(List.of(args));
    lastOut = out.toString(StandardCharsets.UTF_8).strip();
    lastErr = err.toString(StandardCharsets.UTF_8);
    return code;
  }

  @Test
  @DisplayName("device names map to catalog models, with the memory telling variants apart")
  void deviceNamesMapToCatalog() {
    GpuBenchmarkExecutor ex = executor(List.of(), Policy.OFF);
    assertThat(ex.catalogSlug("NVIDIA H100 80GB HBM3", 81_559)).isEqualTo("h100-sxm");
    assertThat(ex.catalogSlug("NVIDIA H100 PCIe", 81_559)).isEqualTo("h100-pcie");
    assertThat(ex.catalogSlug("NVIDIA H200", 143_771)).isEqualTo("h200");
    assertThat(ex.catalogSlug("NVIDIA A100-SXM4-40GB", 40_536)).isEqualTo("a100-40gb");
    assertThat(ex.catalogSlug("Tesla V100-SXM2-32GB", 32_501)).isEqualTo("v100-32gb");
    assertThat(ex.catalogSlug("NVIDIA GeForce RTX 4090", 24_564)).isEqualTo("rtx-4090");
    assertThat(ex.catalogSlug("NVIDIA GeForce RTX 3060", 8_192)).isEqualTo("rtx-3060-8gb");
    assertThat(ex.catalogSlug("NVIDIA GeForce RTX 3060", 12_288)).isEqualTo("rtx-3060-12gb");
    assertThat(ex.catalogSlug("NVIDIA RTX 6000 Ada Generation", 49_140)).isEqualTo("rtx-6000-ada");
    assertThat(ex.catalogSlug("NVIDIA Graphics Device", 16_384)).isNull();
  }

  @Test
  @DisplayName(
      "the store writes one row per device, replaces a re-run's rows, keeps unknown models unmapped, and"
          + " keeps per-model medians that count every concurrent writer")
  void storeWritesRowsAndMedians() {
    // No GPU here: these figures are given, not measured.
    BenchmarkStore store = new BenchmarkStore(pool);
    long first = queue.submit(JobSpec.noop()).await();
    store
        .save(
            first,
            "w1",
            List.of(
                measurement(0, "NVIDIA H100 80GB HBM3", 50.0, "h100-sxm"),
                measurement(1, "NVIDIA H100 80GB HBM3", 52.0, "h100-sxm"),
                measurement(2, "NVIDIA Graphics Device", 9.0, null),
                measurement(3, "NVIDIA H200", 60.0, "no-such-model")))
        .await();
    assertThat(Sql.count(url, "SELECT count(*) FROM gpu_benchmarks WHERE job_id = ?", first))
        .isEqualTo(4);
    assertThat(Sql.count(url, "SELECT count(*) FROM gpu_benchmarks WHERE gpu_slug IS NULL"))
        .isEqualTo(2);
    assertThat(
            Sql.single(
                url, "SELECT fp32_tflops FROM gpu_benchmark_summary WHERE gpu_slug = 'h100-sxm'"))
        .isEqualTo(new BigDecimal("51.000"));
    assertThat(Sql.count(url, "SELECT count(*) FROM gpu_benchmark_summary")).isEqualTo(1);

    // A re-run of the same job replaces its rows rather than adding to them.
    store
        .save(first, "w2", List.of(measurement(0, "NVIDIA H100 80GB HBM3", 54.0, "h100-sxm")))
        .await();
    assertThat(Sql.count(url, "SELECT count(*) FROM gpu_benchmarks WHERE job_id = ?", first))
        .isEqualTo(4);
    assertThat(
            Sql.single(
                url,
                "SELECT worker FROM gpu_benchmarks WHERE job_id = ? AND device_index = 0",
                first))
        .isEqualTo("w2");
    assertThat(
            Sql.single(
                url, "SELECT fp32_tflops FROM gpu_benchmark_summary WHERE gpu_slug = 'h100-sxm'"))
        .isEqualTo(new BigDecimal("53.000"));

    // A device measured without cuBLAS counts as a benchmark but not towards the FP32 median.
    long second = queue.submit(JobSpec.noop()).await();
    store
        .save(
            second,
            "w1",
            List.of(
                new BenchmarkStore.Measurement(
                    0,
                    "NVIDIA H100 80GB HBM3",
                    "h100-sxm",
                    81_559,
                    "9.0",
                    55.1,
                    55.2,
                    2_900.0,
                    null)))
        .await();
    assertThat(
            Sql.single(
                url,
                "SELECT benchmarks || '/' || fp32_benchmarks || ' ' || fp32_tflops || ' '"
                    + " || h2d_gbs FROM gpu_benchmark_summary WHERE gpu_slug = 'h100-sxm'"))
        .isEqualTo("3/2 53.000 50.00");

    // Twenty writers at once: each summary is computed after the earlier writers committed, so none
    // is lost.
    List<Future<Void>> writers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long job = queue.submit(JobSpec.noop()).await();
      writers.add(store.save(job, "w" + i, List.of(measurement(0, "NVIDIA L4", 25.0 + i, "l4"))));
    }
    Future.all(writers).await();
    assertThat(
            Sql.single(
                url,
                "SELECT benchmarks || ' ' || fp32_tflops FROM gpu_benchmark_summary"
                    + " WHERE gpu_slug = 'l4'"))
        .isEqualTo("20 34.500");
  }

  private static BenchmarkStore.Measurement measurement(
      int index, String name, double fp32, String slug) {
    return new BenchmarkStore.Measurement(
        index, name, slug, 81_559, "9.0", 50.0, 52.0, 2_800.0, fp32);
  }

  @Test
  @DisplayName(
      "on a machine with a CUDA device, the job measures every GPU, stores the figures and maps the model")
  void measuresRealGpu() {
    Assumptions.assumeTrue(GpuBenchmark.available(), NO_GPU);
    long id = queue.submit(benchmark(0)).await();
    assertThat(runner(GpuSlots.none(), executor(List.of(), Policy.ON)).runQueuedNow().await())
        .isEqualTo(1);
    assertThat(state(id)).as("error: %s", error(id)).isEqualTo("succeeded");
    JsonObject result =
        new JsonObject((String) Sql.single(url, "SELECT result::text FROM jobs WHERE id = ?", id));
    JsonArray devices = result.getJsonArray("devices");
    assertThat(devices).isNotEmpty();
    for (Object o : devices) {
      JsonObject d = (JsonObject) o;
      assertThat(d.getDouble("h2d_gbs")).isPositive();
      assertThat(d.getDouble("d2h_gbs")).isPositive();
      assertThat(d.getDouble("d2d_gbs")).isGreaterThan(d.getDouble("h2d_gbs"));
      if (d.getValue("fp32_tflops") == null) {
        assertThat(d.getString("fp32_note")).contains("cuBLAS");
      } else {
        assertThat(d.getDouble("fp32_tflops")).isPositive();
      }
    }
    assertThat(Sql.count(url, "SELECT count(*) FROM gpu_benchmarks WHERE job_id = ?", id))
        .isEqualTo(devices.size());
  }
}
