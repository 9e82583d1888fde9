package dev.gputracker.worker.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The parts of GpuBenchmark that need no GPU: load-failure reasons and the SGEMM inputs. */
class GpuBenchmarkHelpersTest {
  @Test
  @DisplayName(
      "a load failure names the missing library, found in its causes; a later NoClassDefFoundError whose"
          + " cause does not name it gets the reason remembered from the first failure")
  void loadFailureReason() {
    // The text JCuda's LibUtils writes when libJCudaDriver cannot find the NVIDIA driver (seen on
    // the build machine).
    UnsatisfiedLinkError first =
        new UnsatisfiedLinkError(
            "Error while loading native library"
                + " \"JCudaDriver-12.0.0-linux-x86_64\"\n---(start of nested stack traces)---\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.0.0-linux-x86_64.so: libcuda.so.1: cannot open"
                + " shared object file: No such file or directory\n---(end of nested stack traces)---");
    assertThat(GpuBenchmark.driverProblem(first)).isEqualTo("libcuda.so.1 not found");
    NoClassDefFoundError cut =
        new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver");
    cut.initCause(
        new ExceptionInInitializerError(
            "Exception java.lang.UnsatisfiedLinkError: Error while loading"
                + " native library \"JCudaDriver-12.0.0-linux-x86_64\" [in thread \"main\"]"));
    assertThat(GpuBenchmark.driverProblem(cut)).isEqualTo("libcuda.so.1 not found");
    NoClassDefFoundError named =
        new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver");
    named.initCause(
        new ExceptionInInitializerError(
            "Exception java.lang.UnsatisfiedLinkError:"
                + " /tmp/libJCudaDriver-12.0.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file"));
    assertThat(GpuBenchmark.missingLibrary(named)).contains("libcuda.so.1");
    assertThat(GpuBenchmark.missingLibrary(new UnsatisfiedLinkError("something else"))).isEmpty();
  }

  @Test
  @DisplayName(
      "the SGEMM inputs are the same varied values in [-1, 1) on every run, so every device multiplies the"
          + " same matrices")
  void randomInputs() {
    float[] a = GpuBenchmark.randomFloats(1 << 16);
    assertThat(a).isEqualTo(GpuBenchmark.randomFloats(1 << 16));
    double sum = 0;
    for (float v : a) {
      assertThat(v).isGreaterThanOrEqualTo(-1f).isLessThan(1f);
      sum += v;
    }
    assertThat(sum / a.length).as("centred near zero").isBetween(-0.05, 0.05);
    assertThat(IntStream.range(0, a.length).mapToObj(i -> a[i]).distinct().count())
        .isGreaterThan(60_000L);
  }
}
