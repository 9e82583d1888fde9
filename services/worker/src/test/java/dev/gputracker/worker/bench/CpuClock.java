package dev.gputracker.worker.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * CPU time, not wall time, for the benchmarks: on a shared two-core machine the wall clock also
 * measures whoever else is running, while the CPU each part of the pipeline used is what the
 * pipeline costs. Covers this JVM and a set of its threads; other processes (an embedded
 * PostgreSQL) are {@link dev.gputracker.shared.bench.ProcCpu}'s. Threads that ended between two
 * readings take their time with them.
 */
final class CpuClock {
  private CpuClock() {}

  /** CPU time of this whole JVM. */
  static long jvmNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU time of every live Java thread of this JVM (the JIT compilers and the GC are not among
   * them).
   */
  static long allThreadsNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      total += Math.max(0, threads.getThreadCpuTime(id));
    }
    return total;
  }

  /** The ids of this JVM's live threads whose names start with {@code prefix}. */
  static List<Long> threadsNamed(String prefix) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<Long> ids = new ArrayList<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(prefix)) {
        ids.add(info.getThreadId());
      }
    }
    return ids;
  }

  /** CPU time of the given threads of this JVM (those still alive). */
  static long threadsNanos(Collection<Long> threadIds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long id : threadIds) {
      total += Math.max(0, threads.getThreadCpuTime(id));
    }
    return total;
  }
}
