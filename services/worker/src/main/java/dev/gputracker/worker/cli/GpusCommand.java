package dev.gputracker.worker.cli;

import dev.gputracker.shared.config.Env;
import dev.gputracker.worker.config.ComponentSettings;
import dev.gputracker.worker.gpu.DetectedGpu;
import dev.gputracker.worker.gpu.GpuDetection;
import dev.gputracker.worker.gpu.GpuDetector;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code gpus [--json]}: what GPU detection finds on this machine and how (the CUDA driver API,
 * nvidia-smi, or why neither). Exit 0 when at least one GPU was found, 2 when none (or detection
 * was skipped).
 */
public final class GpusCommand implements Command {
  public static final int EXIT_NO_GPU = 2;

  private final PrintStream out;

  public GpusCommand() {
    this(System.out);
  }

  public GpusCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public String name() {
    return "gpus";
  }

  @Override
  public String summary() {
    return "[--json]  list the GPUs this machine has (CUDA driver API, else nvidia-smi)";
  }

  @Override
  public int run(Env env, List<String> args) {
    boolean json = args.contains("--json");
    if (!args.stream().allMatch("--json"::equals)) {
      System.err.println("usage: gpus [--json]");
      return EXIT_CANNOT_RUN;
    }
    // A plain thread, not an event loop: blocking here is fine.
    GpuDetection found = new GpuDetector(ComponentSettings.gpu(env)).detect();
    if (json) {
      out.println(found.toJson().encodePrettily());
    } else {
      out.println(
          "detection: "
              + found.method()
              + " ("
              + found.gpus().size()
              + " GPU"
              + (found.gpus().size() == 1 ? "" : "s")
              + ")");
      if (!found.gpus().isEmpty()) {
        out.printf(
            "%-5s %-32s %10s %4s  %-22s %-10s %s%n",
            "INDEX", "NAME", "MEMORY_MB", "CC", "DRIVER", "SOURCE", "UUID");
        for (DetectedGpu g : found.gpus()) {
          out.printf(
              "%-5d %-32s %10d %4s  %-22s %-10s %s%n",
              g.index(),
              g.name(),
              g.memoryMb(),
              g.computeCapability() == null ? "-" : g.computeCapability(),
              g.driverVersion() == null ? "-" : g.driverVersion(),
              g.source(),
              g.uuid() == null ? "-" : g.uuid());
        }
      }
      found.notes().forEach(n -> out.println("note: " + n));
    }
    out.flush();
    return found.gpus().isEmpty() ? EXIT_NO_GPU : 0;
  }
}
