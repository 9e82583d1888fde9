package dev.gputracker.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.gpu.DetectedGpu;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GpuSlotsTest {
  private static DetectedGpu gpu(int index, long memoryMb) {
    return new DetectedGpu(index, "GPU " + index, memoryMb, "8.9", "550", "test", null, index);
  }

  private static List<Integer> indexes(Optional<List<DetectedGpu>> taken) {
    return taken.orElseThrow().stream().map(DetectedGpu::index).toList();
  }

  @Test
  @DisplayName(
      "takes the smallest free devices that fit, keeps large cards for jobs that need them, and gives back")
  void takeAndGive() {
    GpuSlots slots = new GpuSlots(List.of(gpu(0, 81_920), gpu(1, 24_576), gpu(2, 24_576)));
    assertThat(slots.freeVramGb()).containsExactly(80.0, 24.0, 24.0);
    List<DetectedGpu> small = slots.take(1, null).orElseThrow();
    assertThat(small).extracting(DetectedGpu::index).containsExactly(1);
    List<DetectedGpu> large = slots.take(1, 40.0).orElseThrow();
    assertThat(large).extracting(DetectedGpu::index).containsExactly(0);
    assertThat(slots.take(2, null)).isEmpty();
    assertThat(slots.freeVramGb()).containsExactly(24.0);
    slots.give(large);
    slots.give(small);
    assertThat(indexes(slots.take(3, 16.0))).containsExactly(0, 1, 2);
    assertThat(slots.take(0, null)).contains(List.of());
    assertThat(slots.freeCount()).isZero();
  }

  @Test
  @DisplayName(
      "a job gets the whole detected device (UUID and PCI-order index with it), so executors can name it")
  void takesWholeDevices() {
    DetectedGpu h100 =
        new DetectedGpu(
            0,
            "NVIDIA H100 80GB HBM3",
            81_559,
            "9.0",
            "CUDA 12.4",
            "jcuda",
            "GPU-0b3c8a52-7f0e-4d6e-9a1b-2c3d4e5f6a7b",
            1);
    DetectedGpu l4 =
        new DetectedGpu(
            1,
            "NVIDIA L4",
            23_034,
            "8.9",
            "CUDA 12.4",
            "jcuda",
            "GPU-9f8e7d6c-5b4a-3210-fedc-ba9876543210",
            0);
    GpuSlots slots = new GpuSlots(List.of(h100, l4));
    assertThat(slots.take(1, 40.0)).contains(List.of(h100));
    assertThat(slots.take(1, null)).contains(List.of(l4));
    slots.give(List.of(h100, l4));
    assertThat(slots.take(2, null)).contains(List.of(h100, l4));
  }

  @Test
  @DisplayName("giving back a device this worker does not have frees nothing")
  void giveUnknown() {
    GpuSlots slots = new GpuSlots(List.of(gpu(0, 24_576)));
    slots.give(List.of(gpu(5, 81_920)));
    assertThat(slots.freeCount()).isEqualTo(1);
    assertThat(slots.total()).isEqualTo(1);
  }

  @Test
  @DisplayName("a worker without GPUs fits only jobs that need none")
  void none() {
    assertThat(GpuSlots.none().take(1, null)).isEmpty();
    assertThat(GpuSlots.none().take(0, null)).contains(List.of());
    assertThat(GpuSlots.none().freeVramGb()).isEmpty();
  }
}
