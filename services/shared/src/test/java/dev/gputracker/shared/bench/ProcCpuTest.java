package dev.gputracker.shared.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' /proc readings, taken of this very JVM (Linux only: skipped elsewhere, where they
 * read zero).
 */
class ProcCpuTest {

  @Test
  @DisplayName(
      "reads this JVM's threads by name with their CPU, the machine's busy time growing under work, and 0 for no PostgreSQL")
  void readsThisProcess() {
    assumeTrue(
        Files.isDirectory(Path.of("/proc/self/task")), "no /proc here: the readings are Linux's");
    long pid = ProcessHandle.current().pid();
    long machineBefore = ProcCpu.machineNanos();
    long spent = spin();

    List<ProcCpu.Task> threads = ProcCpu.threads(pid);
    assertThat(threads)
        .extracting(ProcCpu.Task::name)
        .anyMatch(n -> n.startsWith("C2 CompilerThre") || n.startsWith("C1 CompilerThre"));
    long total = threads.stream().mapToLong(ProcCpu.Task::nanos).sum();
    assertThat(total).as("CPU of this JVM's threads").isGreaterThanOrEqualTo(spent / 2);
    assertThat(ProcCpu.machineNanos() - machineBefore)
        .as("machine busy time while spinning")
        .isGreaterThanOrEqualTo(spent / 2);
    assertThat(ProcCpu.postgresNanos(Path.of("/no/such/postgres/data"))).isZero();
    assertThat(ProcCpu.threads(-1)).isEmpty();
  }

  /** Burns about 300 ms of CPU on this thread; returns the CPU it took. */
  private static long spin() {
    var bean = ManagementFactory.getThreadMXBean();
    long start = bean.getCurrentThreadCpuTime();
    long x = 0;
    while (bean.getCurrentThreadCpuTime() - start < 300_000_000L) {
      for (int i = 0; i < 100_000; i++) {
        x += i * 31L ^ x;
      }
    }
    if (x == 42) {
      System.out.print("");
    }
    return bean.getCurrentThreadCpuTime() - start;
  }
}
