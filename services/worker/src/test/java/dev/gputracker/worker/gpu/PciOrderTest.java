package dev.gputracker.worker.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.worker.gpu.PciOrder.PciAddress;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The pure half of naming a JCuda-detected GPU outside CUDA. The driver calls that feed it need a
 * GPU, which the build machine lacks; the addresses here are what {@code cuDeviceGetAttribute}
 * reports on such hosts.
 */
class PciOrderTest {
  @Test
  @DisplayName(
      "a CUuuid's 16 bytes read as nvidia-smi prints them: GPU- and 8-4-4-4-12 lowercase hex")
  void uuid() {
    byte[] bytes = {
      (byte) 0x5e,
      0x4a,
      0x0f,
      0x6c,
      0x1b,
      0x2d,
      0x3c,
      0x4e,
      (byte) 0x8f,
      (byte) 0x90,
      (byte) 0xa1,
      (byte) 0xb2,
      (byte) 0xc3,
      (byte) 0xd4,
      (byte) 0xe5,
      (byte) 0xf6
    };
    assertThat(PciOrder.uuid(bytes)).isEqualTo("GPU-5e4a0f6c-1b2d-3c4e-8f90-a1b2c3d4e5f6");
    assertThat(PciOrder.uuid(new byte[16])).isEqualTo("GPU-00000000-0000-0000-0000-000000000000");
    assertThatThrownBy(() -> PciOrder.uuid(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "CUDA's fastest-first H100 (bus 0x41) and L4 (bus 0x01) get PCI-order indexes 1 and 0")
  void mixedHost() {
    assertThat(PciOrder.ranks(List.of(new PciAddress(0, 0x41, 0), new PciAddress(0, 0x01, 0))))
        .containsExactly(1, 0);
  }

  @Test
  @DisplayName(
      "PCI order sorts by domain, then bus, then device; where CUDA's order is PCI order, indexes stay")
  void ordering() {
    assertThat(
            PciOrder.ranks(
                List.of(
                    new PciAddress(1, 0x01, 0),
                    new PciAddress(0, 0x81, 0),
                    new PciAddress(0, 0x81, 1),
                    new PciAddress(0, 0x02, 0))))
        .containsExactly(3, 1, 2, 0);
    assertThat(PciOrder.ranks(List.of(new PciAddress(0, 0x17, 0), new PciAddress(0, 0x65, 0))))
        .containsExactly(0, 1);
    assertThat(PciOrder.ranks(List.of(new PciAddress(0, 0x3b, 0)))).containsExactly(0);
    assertThat(PciOrder.ranks(List.of())).isEmpty();
  }
}
