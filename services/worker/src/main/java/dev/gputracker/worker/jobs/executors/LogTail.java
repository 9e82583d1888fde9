package dev.gputracker.worker.jobs.executors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code max} characters of a job's output, however much it prints: the buffer is
 * trimmed when it reaches twice the bound, so appending stays amortised O(1) and memory stays
 * bounded.
 */
public final class LogTail {
  private final int max;
  private final StringBuilder buf = new StringBuilder();

  public LogTail(int max) {
    this.max = max;
  }

  /**
   * Reads {@code in} to its end (or until it fails because the process died); what was read is the
   * tail.
   */
  public void drain(InputStream in) {
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        append(new String(chunk, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException ignored) {
      // The process was killed: what was read so far is the tail.
    }
  }

  public synchronized void append(String s) {
    buf.append(s);
    if (buf.length() > max * 2) {
      buf.delete(0, buf.length() - max);
    }
  }

  public synchronized String text() {
    return buf.length() > max ? buf.substring(buf.length() - max) : buf.toString();
  }
}
