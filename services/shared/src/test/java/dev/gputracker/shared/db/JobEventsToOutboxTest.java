package dev.gputracker.shared.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.events.payload.JobStateChanged;
import dev.gputracker.shared.testing.EventContracts;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JobEventsToOutboxTest {

  @Test
  @DisplayName(
      "a database migrated before the generated trigger function existed gets it once on the next start;"
          + " its job.state_changed reads into its record")
  void replacesTheFunctionOnAnExistingDatabase() throws Exception {
    DatabaseUrl url = TestDatabases.freshUnmigrated();
    // The database as the previous release left it: every versioned migration and the catalog seed.
    Flyway.configure(Migrator.class.getClassLoader())
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .javaMigrations(new GpuCatalogSeed(GpuCatalog.load()))
        .load()
        .migrate();
    String generated = JobEventsToOutbox.JOB_STATE_CHANGED.insert();
    assertThat(functionBody(url)).as("V13's hand-written function").doesNotContain(generated);

    assertThat(Migrator.migrate(url).migrationsExecuted).isEqualTo(1);
    assertThat(functionBody(url)).contains(generated);
    assertThat(Migrator.migrate(url).migrationsExecuted).as("its checksum is stable").isZero();

    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement()) {
      st.execute(
          "WITH j AS (INSERT INTO jobs (kind) VALUES ('noop') RETURNING id)"
              + " INSERT INTO job_events (job_id, from_state, to_state, detail)"
              + " SELECT id, NULL, 'queued', 'submitted' FROM j");
      try (ResultSet rs = st.executeQuery("SELECT type, key, data::text FROM outbox")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(JobStateChanged.TYPE);
        JobStateChanged event =
            (JobStateChanged)
                EventContracts.assertReadsBack(rs.getString(1), new JsonObject(rs.getString(3)));
        assertThat(rs.getString(2)).isEqualTo("job-" + event.jobId());
        assertThat(event.kind()).isEqualTo("noop");
        assertThat(event.from()).isNull();
        assertThat(event.to()).isEqualTo("queued");
        assertThat(event.detail()).isEqualTo("submitted");
        assertThat(rs.next()).isFalse();
      }
    }
  }

  private static String functionBody(DatabaseUrl url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT prosrc FROM pg_proc WHERE proname = 'job_events_to_outbox'")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
