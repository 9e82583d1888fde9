package dev.gputracker.worker.gpu;

import dev.gputracker.shared.text.FirstLine;
import java.nio.charset.StandardCharsets;

/** Text from the CUDA driver and from native failures, as detection and the benchmark report it. */
final class NativeText {
  private NativeText() {}

  /** A NUL-terminated C string from a fixed-size buffer (device names). */
  static String cString(byte[] bytes) {
    int n = 0;
    while (n < bytes.length && bytes[n] != 0) {
      n++;
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8).strip();
  }

  /** "ClassName: first line of the message", at most 200 characters of message. */
  static String firstLine(Throwable e) {
    String line = FirstLine.of(e.getMessage());
    return e.getClass().getSimpleName() + (line.isEmpty() ? "" : ": " + line);
  }
}
