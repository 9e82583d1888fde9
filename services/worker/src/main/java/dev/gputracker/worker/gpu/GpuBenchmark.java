package dev.gputracker.worker.gpu;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;

/**
 * Measures one GPU through the CUDA driver API (JCuda): host→device and device→host copy bandwidth
 * from pinned memory, device→device copy bandwidth, and FP32 matrix throughput through cuBLAS
 * SGEMM. Every figure is timed with CUDA events on one stream, so it is the GPU's time, not the
 * JVM's.
 *
 * <p>Conventions, chosen to match NVIDIA's {@code bandwidthTest} sample so the figures compare with
 * published ones: GB/s are 10⁹ bytes per second; device→device counts each byte twice (read and
 * written); SGEMM counts 2·n³ floating-point operations per n×n product, in cuBLAS's default math
 * mode (true FP32: no TF32 tensor cores), on random matrices (constant ones draw less power and
 * would flatter clocks).
 *
 * <p>Every call blocks and makes the device's primary context current on the calling thread: run it
 * on a worker thread, one device at a time. The {@code checkpoint} runs between timed steps (a step
 * takes seconds at most) and stops the run by throwing; a step already queued on the GPU is waited
 * for, then everything is freed.
 *
 * <p>Natives: the driver binding links {@code libcuda.so.1} (the NVIDIA driver); cuBLAS's binding
 * links {@code libcublas.so.12} (the CUDA 12 toolkit, not part of the driver). Without the first
 * nothing can be measured ({@link Unavailable}); without the second the bandwidths are measured and
 * FP32 is left out with the reason.
 */
public final class GpuBenchmark {
  /**
   * What to run: {@code copyBytes} per copy (capped at a quarter of the device's free memory),
   * timed {@code copyIterations} times per direction; {@code sgemmN}×{@code sgemmN} matrices
   * (halved until three fit in half the free memory), {@code sgemmWarmups} untimed then {@code
   * sgemmIterations} timed products.
   */
  public record Plan(
      long copyBytes, int copyIterations, int sgemmN, int sgemmWarmups, int sgemmIterations) {
    /**
     * 256 MiB copies and 8192² matrices: long enough to hide launch costs, a few seconds per
     * device.
     */
    public static final Plan DEFAULT = new Plan(256L << 20, 10, 8192, 3, 20);
  }

  /**
   * One device's figures; a null figure was not measured, and {@code fp32Note} says why FP32 is
   * missing.
   *
   * @param sgemmN the matrix size the FP32 figure was measured at (smaller than planned on small
   *     devices)
   * @param copyBytes the size of each timed copy
   */
  public record Figures(
      int index,
      String name,
      long memoryMb,
      String computeCapability,
      Double h2dGbs,
      Double d2hGbs,
      Double d2dGbs,
      Double fp32Tflops,
      String fp32Note,
      int sgemmN,
      long copyBytes) {}

  /** No usable CUDA driver or device: the message is the reason, worded for the job's error. */
  public static final class Unavailable extends Exception {
    public Unavailable(String message) {
      super(message);
    }
  }

  /** A CUDA or cuBLAS call failed; the message names the call and the error. */
  public static final class CudaFailure extends RuntimeException {
    CudaFailure(String message) {
      super(message);
    }
  }

  private static final String NEEDS_GPU = ": gpu-benchmark needs an NVIDIA GPU";
  private static final Pattern MISSING_LIBRARY =
      Pattern.compile("(lib[\\w.+-]+\\.so[\\w.]*): cannot open shared" + " object file");
  private static final long MIB = 1024L * 1024L;

  /** Per binding, the reason it first failed to load in this JVM. */
  private static final Map<String, String> LOAD_PROBLEMS = new ConcurrentHashMap<>();

  /** The block of random floats copied over and over to fill the SGEMM inputs. */
  private static final long FILL_BYTES = 16 * MIB;

  private GpuBenchmark() {}

  /**
   * Starts the driver and returns how many devices it shows this process.
   *
   * @throws Unavailable without an NVIDIA driver, or when the driver finds no device
   */
  public static int deviceCount() throws Unavailable {
    try {
      JCudaDriver.setExceptionsEnabled(false);
      int status = JCudaDriver.cuInit(0);
      if (status != CUresult.CUDA_SUCCESS) {
        throw new Unavailable(
            "the CUDA driver did not start on this worker (cuInit: "
                + CUresult.stringFor(status)
                + ")"
                + NEEDS_GPU);
      }
      int[] count = new int[1];
      status = JCudaDriver.cuDeviceGetCount(count);
      if (status != CUresult.CUDA_SUCCESS || count[0] == 0) {
        throw new Unavailable(
            "the CUDA driver reports no GPU on this worker"
                + (status == CUresult.CUDA_SUCCESS
                    ? ""
                    : " (cuDeviceGetCount: " + CUresult.stringFor(status) + ")")
                + NEEDS_GPU);
      }
      return count[0];
    } catch (LinkageError e) {
      throw new Unavailable("no CUDA driver on this worker (" + driverProblem(e) + ")" + NEEDS_GPU);
    }
  }

  /**
   * Why JCuda's driver binding did not load, e.g. "libcuda.so.1 not found". Only the first attempt
   * in a JVM says why (an {@link UnsatisfiedLinkError}); later ones throw {@link
   * NoClassDefFoundError} whose cause may be cut before the missing library's name, so the first
   * reason is remembered, whichever class (detection or this one) met it.
   */
  static String driverProblem(LinkageError e) {
    return loadProblem("driver", e, "JCuda's driver binding did not load: ");
  }

  /**
   * As {@link #driverProblem} for any binding (driver, cuBLAS): the first reason seen for it is
   * kept.
   */
  private static String loadProblem(String binding, LinkageError e, String prefix) {
    Optional<String> missing = missingLibrary(e);
    if (missing.isPresent()) {
      String reason = missing.get() + " not found";
      LOAD_PROBLEMS.put(binding, reason);
      return reason;
    }
    String seen = LOAD_PROBLEMS.get(binding);
    if (e instanceof NoClassDefFoundError && seen != null) {
      return seen;
    }
    String reason = prefix + NativeText.firstLine(e);
    if (!(e instanceof NoClassDefFoundError)) {
      LOAD_PROBLEMS.put(binding, reason);
    }
    return reason;
  }

  /**
   * Measures device {@code ordinal}. Call {@link #deviceCount()} first.
   *
   * @param checkpoint runs between timed steps; throws to stop the run
   * @throws CudaFailure when a CUDA call fails (out of memory, a device error)
   */
  public static Figures measure(int ordinal, Plan plan, Runnable checkpoint) {
    CUdevice device = new CUdevice();
    check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
    byte[] rawName = new byte[256];
    check(JCudaDriver.cuDeviceGetName(rawName, rawName.length, device), "cuDeviceGetName");
    String name = NativeText.cString(rawName);
    long[] total = new long[1];
    check(JCudaDriver.cuDeviceTotalMem(total, device), "cuDeviceTotalMem");
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
    CUcontext context = new CUcontext();
    check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
    try (Session s = new Session()) {
      check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
      s.stream = new CUstream();
      check(
          JCudaDriver.cuStreamCreate(s.stream, CUstream_flags.CU_STREAM_NON_BLOCKING),
          "cuStreamCreate");
      s.start = event();
      s.stop = event();
      long copyBytes = Math.max(MIB, Math.min(plan.copyBytes(), freeBytes() / 4) / MIB * MIB);
      s.host = new Pointer();
      check(
          JCudaDriver.cuMemHostAlloc(s.host, copyBytes, 0),
          "cuMemHostAlloc(" + copyBytes / MIB + " MiB pinned)");
      s.a = alloc(copyBytes);
      s.b = alloc(copyBytes);
      checkpoint.run();
      double h2d =
          copies(
              s,
              plan.copyIterations(),
              copyBytes,
              1,
              () -> JCudaDriver.cuMemcpyHtoDAsync(s.a, s.host, copyBytes, s.stream),
              "cuMemcpyHtoDAsync");
      checkpoint.run();
      double d2h =
          copies(
              s,
              plan.copyIterations(),
              copyBytes,
              1,
              () -> JCudaDriver.cuMemcpyDtoHAsync(s.host, s.a, copyBytes, s.stream),
              "cuMemcpyDtoHAsync");
      checkpoint.run();
      double d2d =
          copies(
              s,
              plan.copyIterations(),
              copyBytes,
              2,
              () -> JCudaDriver.cuMemcpyDtoDAsync(s.b, s.a, copyBytes, s.stream),
              "cuMemcpyDtoDAsync");
      checkpoint.run();
      s.freeCopyBuffers();
      int n = plan.sgemmN();
      while (n > 1024 && 3L * n * n * Float.BYTES > freeBytes() / 2) {
        n /= 2;
      }
      Double fp32 = null;
      String note = null;
      try {
        fp32 = sgemm(s, n, plan, checkpoint);
      } catch (LinkageError e) {
        note =
            "cuBLAS not available on this worker ("
                + loadProblem("cublas", e, "")
                + "): FP32 not measured;"
                + " install CUDA 12's cuBLAS (libcublas.so.12) on the library path";
      }
      return new Figures(
          ordinal,
          name,
          total[0] / MIB,
          major[0] + "." + minor[0],
          h2d,
          d2h,
          d2d,
          fp32,
          note,
          n,
          copyBytes);
    } finally {
      // Pooled worker threads outlive the job: leave none of them with this context current. An
      // empty handle is
      // NULL to the driver; JCuda throws NullPointerException for a Java null here.
      JCudaDriver.cuCtxSetCurrent(new CUcontext());
      JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }
  }

  /** Whether a CUDA device can be measured here: for tests that need one. Never throws. */
  public static boolean available() {
    try {
      return deviceCount() > 0;
    } catch (Unavailable | RuntimeException e) {
      return false;
    }
  }

  /**
   * Times {@code iterations} queued copies after one untimed one; GB/s counting {@code factor}× the
   * bytes.
   */
  private static double copies(
      Session s, int iterations, long bytes, int factor, CudaCall copy, String call) {
    check(copy.run(), call);
    check(JCudaDriver.cuStreamSynchronize(s.stream), "cuStreamSynchronize");
    check(JCudaDriver.cuEventRecord(s.start, s.stream), "cuEventRecord");
    for (int i = 0; i < iterations; i++) {
      check(copy.run(), call);
    }
    float ms = elapsed(s);
    return (double) bytes * factor * iterations / (ms / 1e3) / 1e9;
  }

  /** TFLOPS of n×n SGEMM on random inputs. */
  private static double sgemm(Session s, int n, Plan plan, Runnable checkpoint) {
    long bytes = (long) n * n * Float.BYTES;
    s.a = alloc(bytes);
    s.b = alloc(bytes);
    s.c = alloc(bytes);
    // One block of random floats, tiled over A and B. Copied from a Java array (JCuda stages it),
    // not through the
    // pinned buffer: only the timed copies need pinned memory.
    Pointer block = Pointer.to(randomFloats((int) (Math.min(bytes, FILL_BYTES) / Float.BYTES)));
    for (long offset = 0; offset < bytes; offset += FILL_BYTES) {
      long chunk = Math.min(FILL_BYTES, bytes - offset);
      check(JCudaDriver.cuMemcpyHtoD(s.a.withByteOffset(offset), block, chunk), "cuMemcpyHtoD");
      check(JCudaDriver.cuMemcpyHtoD(s.b.withByteOffset(offset), block, chunk), "cuMemcpyHtoD");
    }
    // A copy from pageable memory may return before its DMA lands, and cuBLAS runs on a
    // non-blocking stream.
    check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
    JCublas2.setExceptionsEnabled(false);
    s.cublas = new cublasHandle();
    cublas(JCublas2.cublasCreate(s.cublas), "cublasCreate");
    cublas(JCublas2.cublasSetStream(s.cublas, new cudaStream_t(s.stream)), "cublasSetStream");
    cublas(
        JCublas2.cublasSetMathMode(s.cublas, cublasMath.CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
    Pointer alpha = Pointer.to(new float[] {1f});
    Pointer beta = Pointer.to(new float[] {0f});
    CudaCall product =
        () ->
            JCublas2.cublasSgemm(
                s.cublas,
                cublasOperation.CUBLAS_OP_N,
                cublasOperation.CUBLAS_OP_N,
                n,
                n,
                n,
                alpha,
                s.a,
                n,
                s.b,
                n,
                beta,
                s.c,
                n);
    for (int i = 0; i < plan.sgemmWarmups(); i++) {
      cublas(product.run(), "cublasSgemm");
    }
    check(JCudaDriver.cuStreamSynchronize(s.stream), "cuStreamSynchronize");
    checkpoint.run();
    check(JCudaDriver.cuEventRecord(s.start, s.stream), "cuEventRecord");
    for (int i = 0; i < plan.sgemmIterations(); i++) {
      cublas(product.run(), "cublasSgemm");
    }
    float ms = elapsed(s);
    return 2.0 * n * n * n * plan.sgemmIterations() / (ms / 1e3) / 1e12;
  }

  /** Records the stop event, waits for it, and returns the milliseconds since the start event. */
  private static float elapsed(Session s) {
    check(JCudaDriver.cuEventRecord(s.stop, s.stream), "cuEventRecord");
    check(JCudaDriver.cuEventSynchronize(s.stop), "cuEventSynchronize");
    float[] ms = new float[1];
    check(JCudaDriver.cuEventElapsedTime(ms, s.start, s.stop), "cuEventElapsedTime");
    if (!(ms[0] > 0)) {
      throw new CudaFailure("cuEventElapsedTime: no time elapsed (" + ms[0] + " ms)");
    }
    return ms[0];
  }

  /** A fixed-seed xorshift: the same inputs on every device, in [-1, 1) so products stay finite. */
  static float[] randomFloats(int count) {
    float[] out = new float[count];
    int x = 0x9E3779B9;
    for (int i = 0; i < count; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = (x >>> 8) / (float) (1 << 23) - 1f;
    }
    return out;
  }

  private static long freeBytes() {
    long[] free = new long[1];
    long[] total = new long[1];
    check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
    return free[0];
  }

  private static CUevent event() {
    CUevent e = new CUevent();
    check(JCudaDriver.cuEventCreate(e, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate");
    return e;
  }

  private static CUdeviceptr alloc(long bytes) {
    CUdeviceptr p = new CUdeviceptr();
    check(JCudaDriver.cuMemAlloc(p, bytes), "cuMemAlloc(" + bytes / MIB + " MiB)");
    return p;
  }

  /** The native library a load failure names as missing ("libcuda.so.1"), searching its causes. */
  static Optional<String> missingLibrary(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      Matcher m = MISSING_LIBRARY.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  private static void check(int status, String call) {
    if (status != CUresult.CUDA_SUCCESS) {
      String[] text = new String[1];
      JCudaDriver.cuGetErrorString(status, text);
      throw new CudaFailure(
          call + ": " + CUresult.stringFor(status) + (text[0] == null ? "" : " (" + text[0] + ")"));
    }
  }

  private static void cublas(int status, String call) {
    if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
      throw new CudaFailure(call + ": " + cublasStatus.stringFor(status));
    }
  }

  @FunctionalInterface
  private interface CudaCall {
    int run();
  }

  /**
   * What one measurement holds on the device; closing frees it all, waiting first for queued work
   * so nothing is freed under a running copy. Errors while freeing are ignored: the context goes
   * with its last release anyway.
   */
  private static final class Session implements AutoCloseable {
    CUstream stream;
    CUevent start;
    CUevent stop;
    Pointer host;
    CUdeviceptr a;
    CUdeviceptr b;
    CUdeviceptr c;
    cublasHandle cublas;

    void freeCopyBuffers() {
      free(a);
      free(b);
      a = null;
      b = null;
    }

    @Override
    public void close() {
      if (stream != null) {
        JCudaDriver.cuStreamSynchronize(stream);
      }
      if (cublas != null) {
        JCublas2.cublasDestroy(cublas);
      }
      free(a);
      free(b);
      free(c);
      if (host != null) {
        JCudaDriver.cuMemFreeHost(host);
      }
      if (start != null) {
        JCudaDriver.cuEventDestroy(start);
      }
      if (stop != null) {
        JCudaDriver.cuEventDestroy(stop);
      }
      if (stream != null) {
        JCudaDriver.cuStreamDestroy(stream);
      }
    }

    private static void free(CUdeviceptr p) {
      if (p != null) {
        JCudaDriver.cuMemFree(p);
      }
    }
  }
}
