package dev.gputracker.worker.jobs;

import dev.gputracker.worker.gpu.DetectedGpu;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * This worker's GPUs and which of them are free. The runner claims only jobs whose GPU count and
 * per-GPU VRAM fit the free devices ({@link #freeVramGb()} goes into the claim query), then {@link
 * #take takes} specific devices for each claimed job and {@link #give gives} them back when the job
 * ends. Devices are never shared by two jobs at once. A job gets whole {@link DetectedGpu}s, not
 * ordinals, because each executor names a device the way its consumer counts (CUDA order, PCI order
 * or UUID). Thread-safe: executors finish on worker threads.
 */
public final class GpuSlots {
  private static final double MIB_PER_GB = 1024.0;

  /** Every device by its detected index. */
  private final Map<Integer, DetectedGpu> devices = new TreeMap<>();

  /** The free ones, by index, with their memory in GB. */
  private final TreeMap<Integer, Double> free = new TreeMap<>();

  public GpuSlots(List<DetectedGpu> gpus) {
    gpus.forEach(g -> devices.put(g.index(), g));
    devices.forEach((i, g) -> free.put(i, g.memoryMb() / MIB_PER_GB));
  }

  /** A worker without GPUs: it claims only jobs that need none. */
  public static GpuSlots none() {
    return new GpuSlots(List.of());
  }

  public int total() {
    return devices.size();
  }

  public synchronized int freeCount() {
    return free.size();
  }

  /** The memory (GB) of each free device, for the claim query's per-job fit test. */
  public synchronized double[] freeVramGb() {
    return free.values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Takes {@code count} free devices with at least {@code minVramGb} each (the smallest that fit,
   * so large cards stay free for jobs that need them); empty when they are not free now. A job that
   * needs no GPU gets none.
   */
  public synchronized Optional<List<DetectedGpu>> take(int count, Double minVramGb) {
    if (count == 0) {
      return Optional.of(List.of());
    }
    double need = minVramGb == null ? 0 : minVramGb;
    List<Integer> fit = new ArrayList<>();
    free.entrySet().stream()
        .filter(e -> e.getValue() >= need)
        .sorted(
            Map.Entry.<Integer, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .limit(count)
        .forEach(e -> fit.add(e.getKey()));
    if (fit.size() < count) {
      return Optional.empty();
    }
    fit.sort(Comparator.naturalOrder());
    fit.forEach(free::remove);
    return Optional.of(fit.stream().map(devices::get).toList());
  }

  /** Returns devices taken by {@link #take}. */
  public synchronized void give(List<DetectedGpu> taken) {
    taken.forEach(
        d -> {
          DetectedGpu known = devices.get(d.index());
          if (known != null) {
            free.put(d.index(), known.memoryMb() / MIB_PER_GB);
          }
        });
  }
}
