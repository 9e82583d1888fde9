package dev.gputracker.worker.gpu;

import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Turns what the CUDA driver API says about a device into the names the world outside CUDA uses:
 * its UUID as nvidia-smi prints it and its index in PCI bus order (NVML's, hence nvidia-smi's and
 * the container toolkit's). Pure, so it is tested without a GPU; the driver calls that feed it are
 * in {@link GpuDetector}.
 */
final class PciOrder {
  private PciOrder() {}

  /** A device's PCI address as {@code cuDeviceGetAttribute} gives it. */
  record PciAddress(int domain, int bus, int device) {
    static final Comparator<PciAddress> ORDER =
        Comparator.comparingInt(PciAddress::domain)
            .thenComparingInt(PciAddress::bus)
            .thenComparingInt(PciAddress::device);
  }

  /** The 16 bytes of a {@code CUuuid} in nvidia-smi's form: "GPU-" + 8-4-4-4-12 lowercase hex. */
  static String uuid(byte[] bytes) {
    if (bytes == null || bytes.length != 16) {
      throw new IllegalArgumentException(
          "a GPU UUID has 16 bytes, not " + (bytes == null ? 0 : bytes.length));
    }
    String hex = HexFormat.of().formatHex(bytes);
    return "GPU-"
        + hex.substring(0, 8)
        + "-"
        + hex.substring(8, 12)
        + "-"
        + hex.substring(12, 16)
        + "-"
        + hex.substring(16, 20)
        + "-"
        + hex.substring(20);
  }

  /**
   * For each device (in CUDA order), its rank when all are sorted by (domain, bus, device): NVML
   * enumerates GPUs by PCI bus id, so this is the index nvidia-smi and the container toolkit give
   * it. Ranks among the devices this process sees: a worker started with {@code
   * CUDA_VISIBLE_DEVICES} hiding some GPUs gets ranks the toolkit does not share, which is why
   * UUIDs are preferred wherever a consumer takes them.
   */
  static int[] ranks(List<PciAddress> addresses) {
    int[] byPci =
        IntStream.range(0, addresses.size())
            .boxed()
            .sorted(Comparator.comparing(addresses::get, PciAddress.ORDER))
            .mapToInt(Integer::intValue)
            .toArray();
    int[] rank = new int[addresses.size()];
    for (int r = 0; r < byPci.length; r++) {
      rank[byPci[r]] = r;
    }
    return rank;
  }
}
