package dev.gputracker.worker.jobs;

import dev.gputracker.worker.gpu.DetectedGpu;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * This worker's GPUs and which of them are free. The runner claims only jobs whose GPU count and per-GPU VRAM fit
 * the free devices ({@link #freeVramGb()} goes into the claim query), then {@link #take takes} specific device
 * ordinals for each claimed job and {@link #give gives} them back when the job ends. Devices are never shared by
 * two jobs at once. Thread-safe: executors finish on worker threads.
 */
public final class GpuSlots {
  private static final double MIB_PER_GB = 1024.0;

  /** Every device by ordinal, with its memory in GB. */
  private final Map<Integer, Double> memory = new TreeMap<>();
  /** The free ones. */
  private final TreeMap<Integer, Double> free = new TreeMap<>();

  public GpuSlots(List<DetectedGpu> gpus) {
    gpus.forEach(g -> memory.put(g.index(), g.memoryMb() / MIB_PER_GB));
    free.putAll(memory);
  }

  /** A worker without GPUs: it claims only jobs that need none. */
  public static GpuSlots none() {
    return new GpuSlots(List.of());
  }

  public int total() {
    return memory.size();
  }

  public synchronized int freeCount() {
    return free.size();
  }

  /** The memory (GB) of each free device, for the claim query's per-job fit test. */
  public synchronized double[] freeVramGb() {
    return free.values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Takes {@code count} free devices with at least {@code minVramGb} each (the smallest that fit, so large cards
   * stay free for jobs that need them); empty when they are not free now. A job that needs no GPU gets none.
   */
  public synchronized Optional<List<Integer>> take(int count, Double minVramGb) {
    if (count == 0) {
      return Optional.of(List.of());
    }
    double need = minVramGb == null ? 0 : minVramGb;
    List<Integer> fit = new ArrayList<>();
    free.entrySet().stream().filter(e -> e.getValue() >= need)
        .sorted(Map.Entry.<Integer, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .limit(count).forEach(e -> fit.add(e.getKey()));
    if (fit.size() < count) {
      return Optional.empty();
    }
    fit.sort(Comparator.naturalOrder());
    fit.forEach(free::remove);
    return Optional.of(List.copyOf(fit));
  }

  /** Returns devices taken by {@link #take}. */
  public synchronized void give(List<Integer> devices) {
    devices.forEach(d -> {
      Double gb = memory.get(d);
      if (gb != null) {
        free.put(d, gb);
      }
    });
  }
}
