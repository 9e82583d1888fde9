package dev.gputracker.shared.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of other processes and of the whole machine, read from Linux's /proc, for the
 * benchmarks: an API process and its threads (the JIT compilers and GC apart), an embedded
 * PostgreSQL with all its backends, the machine's busy time. Elsewhere than on Linux every reading
 * is zero or empty. Threads and processes that ended between two readings take their time with
 * them.
 */
public final class ProcCpu {
  /** One clock tick of /proc's times: USER_HZ is 100 on Linux. */
  public static final long TICK_NANOS = 10_000_000L;

  private ProcCpu() {}

  /** A thread of a process: its name ({@code comm}) and the CPU time it has used. */
  public record Task(String name, long nanos) {}

  /** The live threads of process {@code pid}. */
  public static List<Task> threads(long pid) {
    List<Task> tasks = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : all) {
        String[] f = fields(read(task.resolve("stat")));
        if (f != null) {
          tasks.add(new Task(read(task.resolve("comm")).trim(), cpuNanos(f)));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or the process is gone: no threads.
    }
    return tasks;
  }

  /**
   * The machine's busy time over all its cores: user, nice, system, irq, softirq and steal (not
   * idle or iowait).
   */
  public static long machineNanos() {
    String[] cpu = read(Path.of("/proc/stat")).lines().findFirst().orElse("").trim().split("\\s+");
    if (cpu.length < 9) {
      return 0;
    }
    long ticks = 0;
    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
      ticks += Long.parseLong(cpu[i]);
    }
    return ticks * TICK_NANOS;
  }

  /**
   * CPU time of the PostgreSQL server whose data directory is {@code dataDirectory}: the process
   * whose command line names it, and its children (backends, WAL writer, checkpointer). Other
   * PostgreSQL servers on the machine are not counted. Backends that exited took their time with
   * them, so measure while the pool's connections are open.
   */
  public static long postgresNanos(Path dataDirectory) {
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
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    if (postmaster < 0) {
      return 0;
    }
    long total = 0;
    try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : all) {
        String[] f = fields(read(p.resolve("stat")));
        if (f != null
            && (Long.parseLong(p.getFileName().toString()) == postmaster
                || Long.parseLong(f[1]) == postmaster)) {
          total += cpuNanos(f);
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return total;
  }

  /**
   * The fields of a /proc stat line after "pid (comm) " (the name may hold spaces and parentheses,
   * so they start after its last ')'): state, ppid, … utime and stime at 11 and 12; null for an
   * empty or odd line.
   */
  private static String[] fields(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0 || close + 2 > stat.length()) {
      return null;
    }
    String[] f = stat.substring(close + 2).split(" ");
    return f.length > 12 ? f : null;
  }

  private static long cpuNanos(String[] fields) {
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
