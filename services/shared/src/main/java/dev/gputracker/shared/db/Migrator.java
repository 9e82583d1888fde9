package dev.gputracker.shared.db;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.config.DatabaseUrl;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema migrations and the catalog seed. Blocking (JDBC): call it from {@code main} or
 * a worker thread, never from an event loop. The worker and the {@code migrate} command run it; the
 * API never does, so a read-only deployment cannot change the schema.
 */
public final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

  private Migrator() {}

  public static MigrateResult migrate(DatabaseUrl url) {
    Flyway flyway = configure(url).load();
    MigrateResult result = flyway.migrate();
    LOG.info(
        "Database {} at schema version {} ({} migrations applied)",
        url.redacted(),
        result.targetSchemaVersion == null
            ? flyway.info().current().getVersion()
            : result.targetSchemaVersion,
        result.migrationsExecuted);
    return result;
  }

  /**
   * The migrations and the catalog seed for {@code url}; tests stop it at an earlier version with
   * {@code target}.
   */
  static FluentConfiguration configure(DatabaseUrl url) {
    return Flyway.configure(Migrator.class.getClassLoader())
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .javaMigrations(new GpuCatalogSeed(GpuCatalog.load()), new JobEventsToOutbox())
        .connectRetries(10);
  }
}
