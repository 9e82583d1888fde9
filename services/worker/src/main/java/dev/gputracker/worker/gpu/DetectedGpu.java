package dev.gputracker.worker.gpu;

import io.vertx.core.json.JsonObject;

/**
 * One GPU this machine has, as the driver reports it. A GPU has three names and each consumer
 * understands a different one: CUDA counts devices fastest first ({@code index} from JCuda, what
 * {@code CUDA_VISIBLE_DEVICES} numbers mean), NVML, {@code nvidia-smi} and the NVIDIA container
 * toolkit count them in PCI bus order ({@code toolkitIndex}), and the UUID is the same everywhere.
 * On a host with mixed models the two counts differ.
 *
 * @param index the ordinal the probe gave: CUDA's (fastest first) from JCuda, which the in-process
 *     benchmark uses with JCuda; nvidia-smi's (PCI order) from nvidia-smi
 * @param name the marketing name, e.g. "NVIDIA H100 80GB HBM3"
 * @param memoryMb total device memory in MiB
 * @param computeCapability "major.minor" (e.g. "9.0"), or null when the driver did not say
 * @param driverVersion the driver version nvidia-smi prints (e.g. "535.104.05"), or "CUDA x.y" from
 *     the driver API
 * @param source how it was found: {@code jcuda} or {@code nvidia-smi}
 * @param uuid "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" as nvidia-smi prints it, or null when
 *     unknown
 * @param toolkitIndex the device's rank in PCI bus order: nvidia-smi's index and the container
 *     toolkit's CDI {@code nvidia.com/gpu=N} name; equals {@code index} when the PCI address could
 *     not be read
 */
public record DetectedGpu(
    int index,
    String name,
    long memoryMb,
    String computeCapability,
    String driverVersion,
    String source,
    String uuid,
    int toolkitIndex) {

  /** The same device with its PCI-order index, once every device's PCI address is known. */
  public DetectedGpu withToolkitIndex(int pciIndex) {
    return new DetectedGpu(
        index, name, memoryMb, computeCapability, driverVersion, source, uuid, pciIndex);
  }

  /** The shape stored in {@code workers.gpus} and printed by the {@code gpus} command. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("index", index)
        .put("name", name)
        .put("memory_mb", memoryMb)
        .put("compute_capability", computeCapability)
        .put("driver_version", driverVersion)
        .put("source", source)
        .put("uuid", uuid)
        .put("toolkit_index", toolkitIndex);
  }
}
