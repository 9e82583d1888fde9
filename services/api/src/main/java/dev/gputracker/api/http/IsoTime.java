package dev.gputracker.api.http;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 timestamps exactly as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes them,
 * without its cost for the common case: PostgreSQL hands {@code timestamptz} values over in UTC,
 * and a page of listings carries two hundred of them. Anything else (another offset, a year outside
 * four digits) goes through the JDK formatter.
 */
public final class IsoTime {
  private IsoTime() {}

  /** The most characters {@link #formatQuoted} writes. */
  public static final int QUOTED_MAX = 32;

  public static String format(OffsetDateTime t) {
    if (t == null) {
      return null;
    }
    char[] c = new char[QUOTED_MAX];
    int n = formatQuoted(t, c);
    return n > 0 ? new String(c, 1, n - 2) : t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  /**
   * Writes {@code t} as a JSON string (in double quotes) into {@code c} (at least {@link
   * #QUOTED_MAX} long) and returns its length, or 0 where the JDK formatter must do it (another
   * offset than UTC, a year outside four digits).
   */
  public static int formatQuoted(OffsetDateTime t, char[] c) {
    int year = t.getYear();
    if (!t.getOffset().equals(ZoneOffset.UTC) || year < 1000 || year > 9999) {
      return 0;
    }
    int n = 0;
    c[n++] = '"';
    n = digits(c, n, year, 4);
    c[n++] = '-';
    n = digits(c, n, t.getMonthValue(), 2);
    c[n++] = '-';
    n = digits(c, n, t.getDayOfMonth(), 2);
    c[n++] = 'T';
    n = digits(c, n, t.getHour(), 2);
    c[n++] = ':';
    n = digits(c, n, t.getMinute(), 2);
    c[n++] = ':';
    n = digits(c, n, t.getSecond(), 2);
    int nano = t.getNano();
    if (nano != 0) {
      // As many fraction digits as needed, no trailing zeros (DateTimeFormatter's appendFraction(0,
      // 9, true)).
      int width = 9;
      while (nano % 10 == 0) {
        nano /= 10;
        width--;
      }
      c[n++] = '.';
      n = digits(c, n, nano, width);
    }
    c[n++] = 'Z';
    c[n++] = '"';
    return n;
  }

  private static int digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }
}
