package dev.gputracker.api.listings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gputracker.api.http.IsoTime;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The listing page's byte writer gives the bytes Jackson's default generator gives (what pages were
 * written with before), for every kind of value a listing has: text with anything in it, integers,
 * booleans, null, timestamps.
 */
class JsonBytesTest {
  private static final JsonFactory JACKSON = new JsonFactory();

  @Test
  @DisplayName(
      "strings: control characters, quotes, backslashes, accents, CJK and emoji as Jackson writes them")
  void stringsAsJackson() throws Exception {
    String[] fixed = {
      "",
      "RTX 4090",
      "say \"hi\" \\ back",
      "tab\there\nnew\rline\bx\fy",
      "\u0000\u0001\u001f\u007f",
      "café 4090 — 24 GB",
      "显卡 RTX",
      "🚀 GPU 🎮",
      "</script>",
      "\u2028\u2029",
      "€ 1.499,00"
    };
    for (String s : fixed) {
      assertThat(ours(s)).as(s).isEqualTo(jackson(s));
    }
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder();
      int len = random.nextInt(40);
      for (int j = 0; j < len; j++) {
        switch (random.nextInt(5)) {
          case 0 -> s.append((char) random.nextInt(0x80));
          case 1 -> s.append((char) (0x80 + random.nextInt(0x780)));
          case 2 -> s.append((char) (0x800 + random.nextInt(0xD000)));
          case 3 -> s.appendCodePoint(0x10000 + random.nextInt(0x100000));
          default -> s.append("aZ9 -.,:\"\\/".charAt(random.nextInt(11)));
        }
      }
      assertThat(ours(s.toString())).as(s.toString()).isEqualTo(jackson(s.toString()));
    }
  }

  @Test
  @DisplayName("numbers, booleans, null and timestamps as the page wrote them with Jackson")
  void otherValuesAsJackson() throws Exception {
    for (long v :
        new long[] {
          0,
          7,
          -7,
          9,
          10,
          99,
          100,
          123456789,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          -1000000000000L,
          999999999999999999L,
          1000000000000000000L
        }) {
      JsonBytes out = new JsonBytes();
      out.number(v);
      assertThat(text(out)).isEqualTo(Long.toString(v));
    }
    JsonBytes out = new JsonBytes();
    out.bool(true);
    out.raw(',');
    out.bool(false);
    out.raw(',');
    out.nul();
    out.raw(',');
    out.string(null);
    out.raw(',');
    out.time(null);
    assertThat(text(out)).isEqualTo("true,false,null,null,null");
    for (OffsetDateTime t :
        new OffsetDateTime[] {
          OffsetDateTime.of(2026, 12, 1, 20, 35, 44, 900820000, ZoneOffset.UTC),
          OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC),
          OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2))
        }) {
      JsonBytes time = new JsonBytes();
      time.time(t);
      assertThat(text(time)).isEqualTo(jackson(IsoTime.format(t)));
    }
  }

  @Test
  @DisplayName("a value larger than the buffer grows it")
  void grows() {
    JsonBytes out = new JsonBytes();
    String big = "x".repeat(300_000);
    out.string(big);
    out.string(big);
    assertThat(out.length()).isEqualTo(600_004);
  }

  private static String ours(String s) {
    JsonBytes out = new JsonBytes();
    out.string(s);
    return text(out);
  }

  private static String text(JsonBytes out) {
    Buffer bytes = out.encoded().bytes();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String jackson(String s) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = JACKSON.createGenerator(bytes)) {
      g.writeString(s);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
