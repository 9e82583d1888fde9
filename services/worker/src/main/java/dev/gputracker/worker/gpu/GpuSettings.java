package dev.gputracker.worker.gpu;

/**
 * How {@link GpuDetector} looks for GPUs, read once at start-up ({@code config.ComponentSettings}).
 *
 * @param skip {@code SKIP_GPU_CHECK} (default false): detect nothing, report the skip
 * @param path {@code PATH}: where {@code nvidia-smi} is looked for
 */
public record GpuSettings(boolean skip, String path) {}
