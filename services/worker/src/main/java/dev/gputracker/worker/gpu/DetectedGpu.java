package dev.gputracker.worker.gpu;

import io.vertx.core.json.JsonObject;

/**
 * One GPU this machine has, as the driver reports it.
 *
 * @param index the device ordinal (what {@code CUDA_VISIBLE_DEVICES} and {@code --gpus device=N} count)
 * @param name the marketing name, e.g. "NVIDIA H100 80GB HBM3"
 * @param memoryMb total device memory in MiB
 * @param computeCapability "major.minor" (e.g. "9.0"), or null when the driver did not say
 * @param driverVersion the driver version nvidia-smi prints (e.g. "535.104.05"), or "CUDA x.y" from the driver API
 * @param source how it was found: {@code jcuda} or {@code nvidia-smi}
 */
public record DetectedGpu(int index, String name, long memoryMb, String computeCapability, String driverVersion,
    String source) {

  /** The shape stored in {@code workers.gpus} and printed by the {@code gpus} command. */
  public JsonObject toJson() {
    return new JsonObject().put("index", index).put("name", name).put("memory_mb", memoryMb)
        .put("compute_capability", computeCapability).put("driver_version", driverVersion).put("source", source);
  }
}
