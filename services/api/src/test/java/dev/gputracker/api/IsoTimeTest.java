package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.api.http.IsoTime;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IsoTimeTest {
  @Test
  @DisplayName(
      "writes exactly what ISO_OFFSET_DATE_TIME writes, for whole seconds, micro- and nanoseconds and other offsets")
  void sameAsJdk() {
    Random random = new Random(11);
    for (int i = 0; i < 50_000; i++) {
      long seconds = random.nextLong(-70_000_000_000L, 300_000_000_000L);
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000_000) * 1000;
            case 2 -> random.nextInt(1000) * 1_000_000;
            default -> random.nextInt(1_000_000_000);
          };
      ZoneOffset offset = i % 10 == 0 ? ZoneOffset.ofHours(2) : ZoneOffset.UTC;
      OffsetDateTime t = OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds, nanos), offset);
      String jdk = t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      assertThat(IsoTime.format(t)).isEqualTo(jdk);
      // The JSON form that listing pages write straight into their output, or 0: left to the JDK
      // formatter.
      char[] quoted = new char[IsoTime.QUOTED_MAX];
      int n = IsoTime.formatQuoted(t, quoted);
      if (offset.equals(ZoneOffset.UTC) && t.getYear() >= 1000 && t.getYear() <= 9999) {
        assertThat(new String(quoted, 0, n)).isEqualTo('"' + jdk + '"');
      } else {
        assertThat(n).isZero();
      }
    }
    assertThat(IsoTime.format(null)).isNull();
  }
}
