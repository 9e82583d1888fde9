package dev.gputracker.worker.jobs.executors;

import dev.gputracker.shared.benchmarks.BenchmarkStore;
import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.worker.gpu.DetectedGpu;
import dev.gputracker.worker.gpu.GpuBenchmark;
import dev.gputracker.worker.jobs.queue.ClaimedJob;
import dev.gputracker.worker.jobs.queue.JobOutcome;
import dev.gputracker.worker.normalize.Normalization;
import dev.gputracker.worker.normalize.TitleNormalizer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Runs {@code gpu-benchmark} jobs: measures each of the job's GPUs with {@link GpuBenchmark}
 * (host↔device and device↔device copy bandwidth, FP32 SGEMM through cuBLAS), stores the figures
 * ({@link BenchmarkStore}) and returns them as the job's result, one object per device with the
 * catalog model its name maps to.
 *
 * <p>Which devices: those the runner assigned to the job ({@link ClaimedJob#devices()}). A job that
 * asked for no GPU measures every device the CUDA driver shows this worker (the ones GPU detection
 * lists), without reserving them: other jobs may be using them, so its figures can read low.
 * Devices are measured one after another, and one benchmark runs at a time per worker, because
 * concurrent copies share the host's memory and PCIe bandwidth and would lower each other's
 * figures.
 *
 * <p>Claiming ({@code GPU_BENCHMARK_JOBS}): {@code auto} claims these jobs only when GPU detection
 * found a device, so a GPU-less worker leaves them queued for one that has a GPU; {@code on} claims
 * them regardless (a worker started with {@code SKIP_GPU_CHECK=true}, or to see the failure);
 * {@code off} never. Run on a worker without a usable driver, the job fails with the reason ("no
 * CUDA driver on this worker (libcuda.so.1 not found): ...").
 *
 * <p>The measurement blocks in native code on a Vert.x worker thread; the job's timeout and a
 * cancel request stop it between timed steps (each takes seconds at most), with the devices
 * finished so far in the result. Figures are stored only when the job succeeds, in their own
 * transaction just before the runner records the completion; a job whose completion is then lost
 * (its lease expired) runs again and replaces them.
 */
public final class GpuBenchmarkExecutor implements JobExecutor {
  /** When this worker claims gpu-benchmark jobs: {@code GPU_BENCHMARK_JOBS=auto|on|off}. */
  public enum Policy {
    AUTO,
    ON,
    OFF
  }

  private static final Pattern HAS_MEMORY = Pattern.compile("(?i)\\d+\\s*GB");

  private final WorkerExecutor threads;
  private final BenchmarkStore store;
  private final String worker;
  private final List<DetectedGpu> detected;
  private final Policy policy;
  private final GpuBenchmark.Plan plan;
  private final TitleNormalizer normalizer;
  private final Map<Long, Boolean> cancelled = new ConcurrentHashMap<>();
  private final ReentrantLock oneAtATime = new ReentrantLock();

  /**
   * @param worker this worker's id, stored with each measurement
   * @param detected what GPU detection found: with {@link Policy#AUTO}, whether this worker claims
   *     the kind at all
   */
  public GpuBenchmarkExecutor(
      Vertx vertx,
      BenchmarkStore store,
      String worker,
      List<DetectedGpu> detected,
      Policy policy,
      GpuBenchmark.Plan plan) {
    this.threads = JobThreads.open(vertx);
    this.store = store;
    this.worker = worker;
    this.detected = List.copyOf(detected);
    this.policy = policy;
    this.plan = plan;
    this.normalizer = new TitleNormalizer(GpuCatalog.load());
  }

  @Override
  public String kind() {
    return "gpu-benchmark";
  }

  @Override
  public boolean enabled() {
    return switch (policy) {
      case ON -> true;
      case OFF -> false;
      case AUTO -> !detected.isEmpty();
    };
  }

  @Override
  public Future<JobOutcome> execute(ClaimedJob job) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(job.timeoutSeconds());
    return threads
        .executeBlocking(() -> run(job, deadline), false)
        .compose(
            run -> {
              if (!"succeeded".equals(run.outcome().state())) {
                return Future.succeededFuture(run.outcome());
              }
              return store
                  .save(job.id(), worker, run.measured().stream().map(Measured::row).toList())
                  .map(run.outcome())
                  .recover(
                      e ->
                          Future.succeededFuture(
                              new JobOutcome(
                                  "failed",
                                  null,
                                  null,
                                  run.outcome().result(),
                                  "measured, but storing the figures failed: " + e.getMessage())));
            });
  }

  @Override
  public void cancel(long jobId) {
    cancelled.put(jobId, true);
  }

  /** The catalog model a device name maps to, or null ("NVIDIA H100 80GB HBM3" → h100-sxm). */
  public String catalogSlug(String deviceName, long memoryMb) {
    // Names such as "NVIDIA GeForce RTX 3060" leave out the memory that tells catalog variants
    // apart.
    String title =
        HAS_MEMORY.matcher(deviceName).find()
            ? deviceName
            : deviceName + " " + Math.round(memoryMb / 1024.0) + "GB";
    Normalization n = normalizer.normalize(title);
    return n.accepted() ? n.slug() : null;
  }

  /** A finished run: its outcome, and the devices to store when it succeeded. */
  private record Run(JobOutcome outcome, List<Measured> measured) {}

  /** One device's figures and the catalog model its name maps to (null when none). */
  private record Measured(GpuBenchmark.Figures figures, String gpuSlug) {
    BenchmarkStore.Measurement row() {
      GpuBenchmark.Figures f = figures;
      return new BenchmarkStore.Measurement(
          f.index(),
          f.name(),
          gpuSlug,
          f.memoryMb(),
          f.computeCapability(),
          f.h2dGbs(),
          f.d2hGbs(),
          f.d2dGbs(),
          f.fp32Tflops());
    }
  }

  /** Stops a run: {@code state} is timed_out or cancelled. */
  private static final class Stopped extends RuntimeException {
    final String state;

    Stopped(String state, String message) {
      super(message, null, false, false);
      this.state = state;
    }
  }

  private Run run(ClaimedJob job, long deadline) {
    List<Measured> measured = new ArrayList<>();
    Runnable checkpoint =
        () -> {
          if (cancelled.containsKey(job.id())) {
            throw new Stopped("cancelled", "cancelled by request");
          }
          if (System.nanoTime() - deadline > 0) {
            throw new Stopped("timed_out", "timed out after " + job.timeoutSeconds() + " s");
          }
        };
    boolean locked = false;
    try {
      locked = waitForTurn(checkpoint);
      int count = GpuBenchmark.deviceCount();
      // CUDA ordinals: the benchmark runs in this JVM through JCuda, whose detection gave these
      // indexes.
      List<Integer> devices =
          job.devices().isEmpty()
              ? IntStream.range(0, count).boxed().toList()
              : job.devices().stream().map(DetectedGpu::index).toList();
      for (int index : devices) {
        if (index >= count) {
          return new Run(
              JobOutcome.failed(
                  "device "
                      + index
                      + " was assigned, but the CUDA driver shows this worker "
                      + count
                      + " device(s)"),
              List.of());
        }
      }
      for (int index : devices) {
        checkpoint.run();
        GpuBenchmark.Figures f;
        try {
          f = GpuBenchmark.measure(index, plan, checkpoint);
        } catch (GpuBenchmark.CudaFailure e) {
          return new Run(
              new JobOutcome(
                  "failed",
                  null,
                  null,
                  result(measured),
                  "device " + index + ": " + e.getMessage()),
              List.of());
        }
        measured.add(new Measured(f, catalogSlug(f.name(), f.memoryMb())));
      }
      return new Run(JobOutcome.succeeded(result(measured)), measured);
    } catch (GpuBenchmark.Unavailable e) {
      return new Run(JobOutcome.failed(e.getMessage()), List.of());
    } catch (Stopped e) {
      return new Run(
          new JobOutcome(e.state, null, null, result(measured), e.getMessage()), List.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(
          JobOutcome.failed("interrupted while waiting for another benchmark"), List.of());
    } catch (RuntimeException | LinkageError e) {
      // Native code can fail in ways no status code covers; the job fails with it rather than the
      // runner.
      return new Run(
          new JobOutcome("failed", null, null, result(measured), "gpu-benchmark failed: " + e),
          List.of());
    } finally {
      cancelled.remove(job.id());
      if (locked) {
        oneAtATime.unlock();
      }
    }
  }

  /**
   * Waits until no other benchmark runs here, still honouring the job's deadline and a cancel
   * request.
   */
  private boolean waitForTurn(Runnable checkpoint) throws InterruptedException {
    while (!oneAtATime.tryLock(200, TimeUnit.MILLISECONDS)) {
      checkpoint.run();
    }
    return true;
  }

  private static JsonObject result(List<Measured> measured) {
    JsonArray devices = new JsonArray();
    for (Measured m : measured) {
      GpuBenchmark.Figures f = m.figures();
      devices.add(
          new JsonObject()
              .put("index", f.index())
              .put("name", f.name())
              .put("memory_mb", f.memoryMb())
              .put("compute_capability", f.computeCapability())
              .put("gpu", m.gpuSlug())
              .put("h2d_gbs", round(f.h2dGbs(), 2))
              .put("d2h_gbs", round(f.d2hGbs(), 2))
              .put("d2d_gbs", round(f.d2dGbs(), 2))
              .put("fp32_tflops", round(f.fp32Tflops(), 3))
              .put("fp32_note", f.fp32Note())
              .put("sgemm_n", f.sgemmN())
              .put("copy_mib", f.copyBytes() >> 20));
    }
    return new JsonObject()
        .put("devices", devices)
        .put(
            "method",
            new JsonObject()
                .put(
                    "bandwidth",
                    "CUDA events around repeated 'copy_mib' copies from pinned host memory; GB/s = 10^9 B/s;"
                        + " d2d counts bytes read plus written")
                .put(
                    "fp32",
                    "cuBLAS SGEMM, sgemm_n square, default math mode (no TF32), 2n^3 operations per product"));
  }

  private static Double round(Double v, int places) {
    if (v == null) {
      return null;
    }
    double scale = Math.pow(10, places);
    return Math.round(v * scale) / scale;
  }
}
