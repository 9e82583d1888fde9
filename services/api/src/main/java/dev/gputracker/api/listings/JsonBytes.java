package dev.gputracker.api.listings;

import dev.gputracker.api.http.IsoTime;
import dev.gputracker.api.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

/**
 * JSON text written byte by byte into an array that is reused from one page to the next: the
 * listing page's hot path. Strings come out exactly as Jackson's default generator writes them
 * (UTF-8, {@code \" \\ \b \t \n \f \r}, {@code \\u00XX} for the other control characters and each
 * UTF-16 half of a character beyond the BMP, nothing else escaped; {@code JsonBytesTest} compares
 * the two), field names are pre-encoded with their separators, and there is no generator state to
 * keep per value: Jackson's streaming generator took a quarter of the API's CPU under load.
 */
final class JsonBytes {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

  /** A larger array than this (a page of 200 long listings) is not kept for the next page. */
  private static final int KEPT = 1 << 20;

  private static final int INITIAL = 64 * 1024;

  private byte[] buf = new byte[INITIAL];
  private int n;
  private final char[] time = new char[IsoTime.QUOTED_MAX];

  void reset() {
    n = 0;
  }

  int length() {
    return n;
  }

  /** What was written, with its ETag; the array is reused afterwards, so this copies. */
  Json.Encoded encoded() {
    Json.Encoded encoded = Json.encode(buf, n);
    if (buf.length > KEPT) {
      buf = new byte[INITIAL];
    }
    return encoded;
  }

  /** Text that is JSON already (field names with their separators, punctuation). */
  void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, n, bytes.length);
    n += bytes.length;
  }

  void raw(char c) {
    ensure(1);
    buf[n++] = (byte) c;
  }

  void nul() {
    raw(NULL);
  }

  void bool(boolean b) {
    raw(b ? TRUE : FALSE);
  }

  void number(long v) {
    if (v == Long.MIN_VALUE) {
      raw(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
      return;
    }
    ensure(20);
    if (v < 0) {
      buf[n++] = '-';
      v = -v;
    }
    int digits = 1;
    for (long p = 10; digits < 19 && v >= p; p *= 10) {
      digits++;
    }
    for (int i = n + digits - 1; i >= n; i--) {
      buf[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    n += digits;
  }

  /** ISO-8601 as {@link IsoTime} writes it, in quotes; null as {@code null}. */
  void time(OffsetDateTime t) {
    if (t == null) {
      nul();
      return;
    }
    int len = IsoTime.formatQuoted(t, time);
    if (len == 0) {
      string(IsoTime.format(t));
      return;
    }
    ensure(len);
    for (int i = 0; i < len; i++) {
      buf[n++] = (byte) time[i]; // ASCII only
    }
  }

  /** A JSON string; null as {@code null}. */
  void string(String s) {
    if (s == null) {
      nul();
      return;
    }
    int len = s.length();
    ensure(len * 6 + 2); // the most one char can take: a six-character escape
    byte[] b = buf;
    int at = n;
    b[at++] = '"';
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          b[at++] = (byte) c;
        } else {
          at = escape(b, at, c);
        }
      } else if (c < 0x800) {
        b[at++] = (byte) (0xC0 | (c >> 6));
        b[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        // Characters beyond the BMP as their two escaped UTF-16 halves, as Jackson writes them.
        b[at++] = '\\';
        b[at++] = 'u';
        b[at++] = HEX[c >> 12];
        b[at++] = HEX[(c >> 8) & 0xF];
        b[at++] = HEX[(c >> 4) & 0xF];
        b[at++] = HEX[c & 0xF];
      } else {
        b[at++] = (byte) (0xE0 | (c >> 12));
        b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    b[at++] = '"';
    n = at;
  }

  private static int escape(byte[] b, int at, char c) {
    b[at++] = '\\';
    switch (c) {
      case '"' -> b[at++] = '"';
      case '\\' -> b[at++] = '\\';
      case '\b' -> b[at++] = 'b';
      case '\t' -> b[at++] = 't';
      case '\n' -> b[at++] = 'n';
      case '\f' -> b[at++] = 'f';
      case '\r' -> b[at++] = 'r';
      default -> {
        b[at++] = 'u';
        b[at++] = '0';
        b[at++] = '0';
        b[at++] = HEX[c >> 4];
        b[at++] = HEX[c & 0xF];
      }
    }
    return at;
  }

  private void ensure(int more) {
    if (n + more > buf.length) {
      byte[] bigger = new byte[Math.max(buf.length * 2, n + more)];
      System.arraycopy(buf, 0, bigger, 0, n);
      buf = bigger;
    }
  }
}
