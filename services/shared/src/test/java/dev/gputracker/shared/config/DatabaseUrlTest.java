package dev.gputracker.shared.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

  @Test
  @DisplayName(
      "a PaaS-style postgres:// URL gives host, port, database, decoded credentials and TLS without verification")
  void paasUrl() {
    DatabaseUrl url =
        DatabaseUrl.parse(
            "DATABASE_URL",
            "postgres://postgres:p%40ss@postgres.railway.internal:5433/railway?sslmode=require");
    PgConnectOptions o = url.connectOptions();
    assertThat(o.getHost()).isEqualTo("postgres.railway.internal");
    assertThat(o.getPort()).isEqualTo(5433);
    assertThat(o.getDatabase()).isEqualTo("railway");
    assertThat(o.getUser()).isEqualTo("postgres");
    assertThat(o.getPassword()).isEqualTo("p@ss");
    assertThat(o.getSslMode()).isEqualTo(SslMode.REQUIRE);
    assertThat(o.getSslOptions()).isNotNull();
    assertThat(o.getSslOptions().isTrustAll()).isTrue();
    assertThat(url.jdbcUrl())
        .isEqualTo(
            "jdbc:postgresql://postgres.railway.internal:5433/railway?sslmode=require&ApplicationName=gpu-tracker-migrate");
    assertThat(url.redacted()).doesNotContain("p@ss").contains("***");
  }

  @Test
  @DisplayName("the postgresql:// spelling and a jdbc: prefix are accepted too")
  void otherSpellings() {
    assertThat(DatabaseUrl.parse("DATABASE_URL", "postgresql://u:p@db/app").database())
        .isEqualTo("app");
    assertThat(DatabaseUrl.parse("DATABASE_URL", "jdbc:postgresql://u:p@db:6543/app").port())
        .isEqualTo(6543);
  }

  @Test
  @DisplayName("verify-full turns certificate and host name verification on")
  void verifyFull() {
    DatabaseUrl url =
        DatabaseUrl.parse("DATABASE_URL", "postgres://u:p@db/app?sslmode=verify-full");
    assertThat(url.connectOptions().getSslOptions().getHostnameVerificationAlgorithm())
        .isEqualTo("HTTPS");
    assertThat(url.jdbcUrl()).contains("sslmode=verify-full");
  }

  @Test
  @DisplayName("a malformed value fails with one line naming the variable and never the password")
  void malformed() {
    assertThatThrownBy(() -> DatabaseUrl.parse("DATABASE_URL", "mysql://root:hunter2@db/app"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("DATABASE_URL must be a postgres:// or postgresql:// URL")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> DatabaseUrl.parse("DATABASE_READ_URL", " "))
        .isInstanceOf(ConfigException.class)
        .hasMessage("DATABASE_READ_URL is required but not set");
  }

  @Test
  @DisplayName(
      "DATABASE_URL is read from the environment in one place: present, missing, malformed")
  void fromEnv() {
    assertThat(
            DatabaseUrl.fromEnv(new Env(Map.of("DATABASE_URL", "postgres://u:p@db:5433/app")))
                .port())
        .isEqualTo(5433);
    assertThatThrownBy(() -> DatabaseUrl.fromEnv(new Env(Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DATABASE_URL");
    assertThatThrownBy(() -> DatabaseUrl.fromEnv(new Env(Map.of("DATABASE_URL", "redis://x"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("DATABASE_URL must be");
  }
}
