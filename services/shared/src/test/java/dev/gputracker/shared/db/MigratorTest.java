package dev.gputracker.shared.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MigratorTest {

  @Test
  @DisplayName(
      "migrating a fresh database creates the schema and seeds every catalog model; a second run is a no-op")
  void migratesAndSeeds() throws Exception {
    DatabaseUrl url = TestDatabases.freshUnmigrated();
    assertThat(Migrator.migrate(url).migrationsExecuted).isGreaterThanOrEqualTo(2);
    assertThat(Migrator.migrate(url).migrationsExecuted).isZero();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM gpu_models")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(GpuCatalog.load().models().size());
    }
  }
}
