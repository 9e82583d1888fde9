package dev.gputracker.worker.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * CPU time, not wall time, for the benchmarks: on a shared two-core machine the wall clock also measures whoever
 * else is running, while the CPU each part of the pipeline used is what the pipeline costs. Covers this JVM, a
 * set of its threads, and an embedded PostgreSQL (its postmaster and every backend, read from /proc: Linux only,
 * else zero). Threads and processes that ended between two readings take their time with them.
 */
final class CpuClock {
  private static final long TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux

  private CpuClock() {}

  /** CPU time of this whole JVM. */
  static long jvmNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** CPU time of every live Java thread of this JVM (the JIT compilers and the GC are not among them). */
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

  /**
   * CPU time of the PostgreSQL server whose data directory is {@code dataDirectory}: the process whose command line
   * names it, and its children (backends, WAL writer, checkpointer). Other PostgreSQL servers on the machine are not
   * counted. Backends that exited took their time with them, so measure while the pool's connections are open.
   */
  static long postgresNanos(Path dataDirectory) {
    String dir = dataDirectory.toAbsolutePath().toString();
    long postmaster = -1;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        String cmdline = read(p.resolve("cmdline")).replace('\0', ' ');
        if (cmdline.contains("postgres") && cmdline.contains(dir)) {
          postmaster = Long.parseLong(p.getFileName().toString());
          break;
        }
      }
      if (postmaster < 0) {
        return 0;
      }
      long total = 0;
      try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
        for (Path p : all) {
          String stat = read(p.resolve("stat"));
          int close = stat.lastIndexOf(')');
          if (close < 0) {
            continue;
          }
          // After "pid (comm) ": state ppid ... utime stime (fields 4, 14 and 15 of proc(5)).
          String[] f = stat.substring(close + 2).split(" ");
          long pid = Long.parseLong(p.getFileName().toString());
          if (pid == postmaster || Long.parseLong(f[1]) == postmaster) {
            total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
          }
        }
      }
      return total;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
