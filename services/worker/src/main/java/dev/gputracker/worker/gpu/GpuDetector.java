package dev.gputracker.worker.gpu;

import dev.gputracker.shared.text.FirstLine;
import dev.gputracker.worker.gpu.PciOrder.PciAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.CUuuid;
import jcuda.driver.JCudaDriver;

/**
 * Finds this machine's NVIDIA GPUs: first through the CUDA driver API (JCuda), then through {@code
 * nvidia-smi} on {@code PATH}, else none, with the reason of each probe. {@code
 * SKIP_GPU_CHECK=true} skips detection.
 *
 * <p>Every probe blocks (native calls, a child process): call {@link #detect(Vertx)} from an event
 * loop, or {@link #detect()} from a plain thread. JCuda's natives link {@code libcuda.so.1};
 * without an NVIDIA driver, loading them throws an {@link UnsatisfiedLinkError} (later calls in the
 * same JVM a {@link NoClassDefFoundError}), so the driver probe catches {@link Throwable}: a
 * machine without a GPU is a normal case, not a failure.
 */
public final class GpuDetector {
  static final String QUERY = "--query-gpu=index,uuid,name,memory.total,compute_cap,driver_version";

  /** Drivers older than 510 do not know {@code compute_cap}; asked again without it. */
  static final String QUERY_OLD = "--query-gpu=index,uuid,name,memory.total,driver_version";

  private static final Duration SMI_TIMEOUT = Duration.ofSeconds(15);

  private final boolean skip;
  private final String path;

  public GpuDetector(GpuSettings settings) {
    this.skip = settings.skip();
    this.path = settings.path();
  }

  /** Detects on a worker thread. */
  public Future<GpuDetection> detect(Vertx vertx) {
    return vertx.executeBlocking(this::detect, false);
  }

  /** Detects on the calling thread (blocking). */
  public GpuDetection detect() {
    if (skip) {
      return new GpuDetection(
          "skipped", List.of(), List.of("SKIP_GPU_CHECK=true: detection skipped"));
    }
    GpuDetection cuda = viaDriverApi();
    if (!cuda.gpus().isEmpty()) {
      return cuda;
    }
    GpuDetection smi = viaNvidiaSmi();
    List<String> notes = new ArrayList<>(cuda.notes());
    notes.addAll(smi.notes());
    return smi.gpus().isEmpty()
        ? new GpuDetection("none", List.of(), notes)
        : new GpuDetection(smi.method(), smi.gpus(), notes);
  }

  /** The CUDA driver API through JCuda; never throws. */
  public GpuDetection viaDriverApi() {
    try {
      JCudaDriver.setExceptionsEnabled(false);
      int status = JCudaDriver.cuInit(0);
      if (status != CUresult.CUDA_SUCCESS) {
        return none("jcuda", "cuInit: " + CUresult.stringFor(status));
      }
      int[] version = new int[1];
      check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
      String driver = "CUDA " + version[0] / 1000 + "." + version[0] % 1000 / 10;
      int[] count = new int[1];
      check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
      if (count[0] == 0) {
        return none("jcuda", "the CUDA driver (" + driver + ") reports no devices");
      }
      List<DetectedGpu> gpus = new ArrayList<>(count[0]);
      List<PciAddress> pci = new ArrayList<>(count[0]);
      List<String> notes = new ArrayList<>();
      for (int i = 0; i < count[0]; i++) {
        CUdevice device = new CUdevice();
        check(JCudaDriver.cuDeviceGet(device, i), "cuDeviceGet");
        byte[] name = new byte[256];
        check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        long[] bytes = new long[1];
        check(JCudaDriver.cuDeviceTotalMem(bytes, device), "cuDeviceTotalMem");
        int[] major = new int[1];
        int[] minor = new int[1];
        check(
            JCudaDriver.cuDeviceGetAttribute(
                major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device),
            "cuDeviceGetAttribute");
        check(
            JCudaDriver.cuDeviceGetAttribute(
                minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device),
            "cuDeviceGetAttribute");
        pci.add(pciAddress(device, i, notes));
        gpus.add(
            new DetectedGpu(
                i,
                NativeText.cString(name),
                bytes[0] / (1024 * 1024),
                major[0] + "." + minor[0],
                driver,
                "jcuda",
                uuid(device, i, notes),
                i));
      }
      return new GpuDetection("jcuda", inPciOrder(gpus, pci, notes), notes);
    } catch (LinkageError e) {
      return none("jcuda", "no CUDA driver: " + GpuBenchmark.driverProblem(e));
    } catch (Throwable e) {
      return none("jcuda", NativeText.firstLine(e));
    }
  }

  // uuid and pciAddress need a real GPU: this project's build machine has none (JCuda's natives do
  // not even load), so
  // they and the ranking step after them are untested here; what they feed (PciOrder) is tested on
  // its own.

  /**
   * The device's UUID, or null with a note: executors then fall back to indexes, so detection goes
   * on.
   */
  private static String uuid(CUdevice device, int index, List<String> notes) {
    try {
      CUuuid uuid = new CUuuid();
      int status = JCudaDriver.cuDeviceGetUuid(uuid, device);
      if (status == CUresult.CUDA_SUCCESS) {
        return PciOrder.uuid(uuid.bytes);
      }
      notes.add("jcuda: device " + index + ": cuDeviceGetUuid: " + CUresult.stringFor(status));
    } catch (RuntimeException | LinkageError e) {
      notes.add("jcuda: device " + index + ": cuDeviceGetUuid: " + NativeText.firstLine(e));
    }
    return null;
  }

  /** The device's PCI address, or null with a note. */
  private static PciAddress pciAddress(CUdevice device, int index, List<String> notes) {
    int[] domain = new int[1];
    int[] bus = new int[1];
    int[] slot = new int[1];
    try {
      int status =
          JCudaDriver.cuDeviceGetAttribute(
              domain, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID, device);
      if (status == CUresult.CUDA_SUCCESS) {
        status =
            JCudaDriver.cuDeviceGetAttribute(
                bus, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_PCI_BUS_ID, device);
      }
      if (status == CUresult.CUDA_SUCCESS) {
        status =
            JCudaDriver.cuDeviceGetAttribute(
                slot, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID, device);
      }
      if (status == CUresult.CUDA_SUCCESS) {
        return new PciAddress(domain[0], bus[0], slot[0]);
      }
      notes.add("jcuda: device " + index + ": PCI address: " + CUresult.stringFor(status));
    } catch (RuntimeException | LinkageError e) {
      notes.add("jcuda: device " + index + ": PCI address: " + NativeText.firstLine(e));
    }
    return null;
  }

  /**
   * The devices with their PCI-order index; without every address no order can be trusted, so each
   * keeps its CUDA ordinal (usually right on a host whose GPUs are all one model, which CUDA in
   * practice lists in PCI order).
   */
  private static List<DetectedGpu> inPciOrder(
      List<DetectedGpu> gpus, List<PciAddress> pci, List<String> notes) {
    if (pci.contains(null)) {
      notes.add("jcuda: toolkit_index is the CUDA ordinal (PCI order unknown)");
      return gpus;
    }
    int[] rank = PciOrder.ranks(pci);
    return gpus.stream().map(g -> g.withToolkitIndex(rank[g.index()])).toList();
  }

  /** {@code nvidia-smi} found on {@code PATH}; never throws. */
  public GpuDetection viaNvidiaSmi() {
    Optional<Path> smi = onPath("nvidia-smi");
    if (smi.isEmpty()) {
      return none("nvidia-smi", "not found on PATH");
    }
    Run run = exec(smi.get(), QUERY);
    if (run.problem == null && run.exitCode != 0 && run.output.contains("compute_cap")) {
      run = exec(smi.get(), QUERY_OLD);
    }
    if (run.problem != null) {
      return none("nvidia-smi", run.problem);
    }
    if (run.exitCode != 0) {
      return none("nvidia-smi", "exit " + run.exitCode + ": " + FirstLine.of(run.output));
    }
    return parse(run.output);
  }

  /**
   * Reads {@code --format=csv,noheader,nounits} output: one GPU a line, index first, then the UUID,
   * the name (which may hold commas), memory, [compute capability,] driver version. nvidia-smi's
   * index is NVML's (PCI order), so it is also the toolkit index. Lines that do not read are left
   * out and named in the notes; "[N/A]" values become null.
   */
  static GpuDetection parse(String output) {
    List<DetectedGpu> gpus = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (String raw : output.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(",", -1);
      try {
        if (f.length < 5) {
          throw new IllegalArgumentException("too few fields");
        }
        int index = Integer.parseInt(f[0].strip());
        String uuid = orNull(f[1].strip());
        if (uuid != null && !uuid.startsWith("GPU-")) {
          throw new IllegalArgumentException("uuid is not GPU-...: " + FirstLine.of(uuid));
        }
        boolean withCc = f.length >= 6 && looksLikeCc(f[f.length - 2].strip());
        int nameEnd = f.length - (withCc ? 3 : 2);
        String name = String.join(",", Arrays.copyOfRange(f, 2, nameEnd)).strip();
        long memory = megabytes(f[nameEnd].strip());
        String cc = withCc ? orNull(f[f.length - 2].strip()) : null;
        String driver = orNull(f[f.length - 1].strip());
        if (index < 0 || name.isEmpty() || name.equals("[N/A]")) {
          throw new IllegalArgumentException("no index or name");
        }
        gpus.add(new DetectedGpu(index, name, memory, cc, driver, "nvidia-smi", uuid, index));
      } catch (IllegalArgumentException e) {
        notes.add("nvidia-smi: unreadable line (" + e.getMessage() + "): " + FirstLine.of(line));
      }
    }
    if (gpus.isEmpty() && notes.isEmpty()) {
      notes.add("nvidia-smi: listed no GPUs");
    }
    return new GpuDetection(gpus.isEmpty() ? "none" : "nvidia-smi", gpus, notes);
  }

  private static boolean looksLikeCc(String v) {
    return v.matches("\\d+\\.\\d+") || v.equals("[N/A]");
  }

  private static long megabytes(String v) {
    String digits = v.endsWith("MiB") ? v.substring(0, v.length() - 3).strip() : v;
    try {
      long n = Long.parseLong(digits);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Falls through to the error below.
    }
    throw new IllegalArgumentException("memory.total is not a number of MiB: " + FirstLine.of(v));
  }

  private static String orNull(String v) {
    return v.isEmpty() || v.equals("[N/A]") || v.equals("N/A") ? null : v;
  }

  private Optional<Path> onPath(String command) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private record Run(int exitCode, String output, String problem) {}

  private static Run exec(Path smi, String query) {
    Process p;
    try {
      p =
          new ProcessBuilder(smi.toString(), query, "--format=csv,noheader,nounits")
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      return new Run(-1, "", "cannot start " + smi + ": " + e.getMessage());
    }
    AtomicBoolean timedOut = new AtomicBoolean();
    // A hung driver makes nvidia-smi hang: this timer kills it, which also ends the read below.
    Thread killer =
        new Thread(
            () -> {
              try {
                if (!p.waitFor(SMI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                  timedOut.set(true);
                  p.destroyForcibly();
                }
              } catch (InterruptedException e) {
                p.destroyForcibly();
              }
            },
            "nvidia-smi-timeout");
    killer.setDaemon(true);
    killer.start();
    try (InputStream in = p.getInputStream()) {
      String out = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
      int exit = p.waitFor();
      if (timedOut.get()) {
        return new Run(-1, out, "timed out after " + SMI_TIMEOUT.toSeconds() + " s");
      }
      return new Run(exit, out, null);
    } catch (IOException e) {
      p.destroyForcibly();
      return new Run(-1, "", "reading its output failed: " + e.getMessage());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Run(-1, "", "interrupted");
    }
  }

  private static void check(int status, String call) {
    if (status != CUresult.CUDA_SUCCESS) {
      throw new IllegalStateException(call + ": " + CUresult.stringFor(status));
    }
  }

  private static GpuDetection none(String method, String why) {
    return new GpuDetection("none", List.of(), List.of(method + ": " + why));
  }
}
