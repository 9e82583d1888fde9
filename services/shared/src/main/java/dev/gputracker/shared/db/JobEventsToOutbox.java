package dev.gputracker.shared.db;

import dev.gputracker.shared.events.EventSql;
import dev.gputracker.shared.events.payload.JobStateChanged;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.zip.CRC32;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A repeatable migration that (re)defines {@code job_events_to_outbox()}, the trigger function that
 * writes {@code job.state_changed}, with the payload generated from {@link JobStateChanged}. Its
 * checksum is the generated SQL's, so Flyway applies it again whenever the record or the statement
 * changes; repeatable migrations run after every versioned one, so on a fresh database it replaces
 * the function V9 and V13 created, and on an existing one it is applied once, on the next start.
 */
public final class JobEventsToOutbox implements JavaMigration {
  /**
   * {@code job.state_changed} from a new job_events row ({@code e}) and its job ({@code j}, read by
   * primary key in a correlated subquery).
   */
  static final EventSql JOB_STATE_CHANGED =
      EventSql.of(JobStateChanged.class)
          .subject("job", "e.job_id")
          .set("jobId", "e.job_id")
          .set("kind", "j.kind")
          .set("from", "e.from_state")
          .set("to", "e.to_state")
          .set("worker", "e.worker")
          .set("detail", "e.detail")
          .set("attempts", "j.attempts")
          .set("at", "e.at")
          .within("jobs j WHERE j.id = e.job_id")
          .build();

  static final String SQL =
      SqlResource.load(
          JobEventsToOutbox.class, "job_events_to_outbox.sql", EventSql.fills(JOB_STATE_CHANGED));

  @Override
  public MigrationVersion getVersion() {
    return null; // repeatable
  }

  @Override
  public String getDescription() {
    return "job events to outbox";
  }

  @Override
  public Integer getChecksum() {
    CRC32 crc = new CRC32();
    crc.update(SQL.getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws Exception {
    try (Statement st = context.getConnection().createStatement()) {
      st.execute(SQL);
    }
  }
}
