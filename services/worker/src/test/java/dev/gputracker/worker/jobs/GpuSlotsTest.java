package dev.gputracker.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.worker.gpu.DetectedGpu;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GpuSlotsTest {
  private static DetectedGpu gpu(int index, long memoryMb) {
    return new DetectedGpu(index, "GPU " + index, memoryMb, "8.9", "550", "test");
  }

  @Test
  @DisplayName("takes the smallest free devices that fit, keeps large cards for jobs that need them, and gives back")
  void takeAndGive() {
    GpuSlots slots = new GpuSlots(List.of(gpu(0, 81_920), gpu(1, 24_576), gpu(2, 24_576)));
    assertThat(slots.freeVramGb()).containsExactly(80.0, 24.0, 24.0);
    assertThat(slots.take(1, null)).contains(List.of(1));
    assertThat(slots.take(1, 40.0)).contains(List.of(0));
    assertThat(slots.take(2, null)).isEmpty();
    assertThat(slots.freeVramGb()).containsExactly(24.0);
    slots.give(List.of(0, 1));
    assertThat(slots.take(3, 16.0)).contains(List.of(0, 1, 2));
    assertThat(slots.take(0, null)).contains(List.of());
    assertThat(slots.freeCount()).isZero();
  }

  @Test
  @DisplayName("a worker without GPUs fits only jobs that need none")
  void none() {
    assertThat(GpuSlots.none().take(1, null)).isEmpty();
    assertThat(GpuSlots.none().take(0, null)).contains(List.of());
    assertThat(GpuSlots.none().freeVramGb()).isEmpty();
  }
}
