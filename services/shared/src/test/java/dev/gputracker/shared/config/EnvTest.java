package dev.gputracker.shared.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EnvTest {
  enum Mode {
    DAEMON,
    ONESHOT
  }

  @Test
  @DisplayName("unset and blank values fall back to the default")
  void defaults() {
    Env env = new Env(Map.of("BLANK", "  "));
    assertThat(env.integer("BLANK", 7, 1, 10)).isEqualTo(7);
    assertThat(env.string("MISSING", "x")).isEqualTo("x");
    assertThat(env.bool("MISSING", true)).isTrue();
    assertThat(env.oneOf("MISSING", Mode.class, Mode.DAEMON)).isEqualTo(Mode.DAEMON);
  }

  @Test
  @DisplayName("typed values parse, case-insensitively for booleans and enumerations")
  void parses() {
    Env env = new Env(Map.of("N", "42", "B", "Yes", "M", "ONESHOT"));
    assertThat(env.integer("N", 0, 0, 100)).isEqualTo(42);
    assertThat(env.bool("B", false)).isTrue();
    assertThat(env.oneOf("M", Mode.class, Mode.DAEMON)).isEqualTo(Mode.ONESHOT);
  }

  @Test
  @DisplayName("a malformed value fails with one line that names the variable and the value")
  void malformed() {
    Env env =
        new Env(
            Map.of(
                "SCRAPE_INTERVAL_SECONDS",
                "often",
                "LIMIT",
                "0",
                "FLAG",
                "maybe",
                "WORKER_MODE",
                "cron"));
    assertThatThrownBy(() -> env.integer("SCRAPE_INTERVAL_SECONDS", 1, 1, 10))
        .hasMessage("SCRAPE_INTERVAL_SECONDS must be an integer, got 'often'");
    assertThatThrownBy(() -> env.integer("LIMIT", 1, 1, 10))
        .hasMessage("LIMIT must be between 1 and 10, got '0'");
    assertThatThrownBy(() -> env.bool("FLAG", true))
        .hasMessage("FLAG must be true or false, got 'maybe'");
    assertThatThrownBy(() -> env.oneOf("WORKER_MODE", Mode.class, Mode.DAEMON))
        .hasMessage("WORKER_MODE must be one of daemon, oneshot, got 'cron'");
    assertThatThrownBy(() -> env.required("DATABASE_URL"))
        .hasMessage("DATABASE_URL is required but not set");
  }
}
