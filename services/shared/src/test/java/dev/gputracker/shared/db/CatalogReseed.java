package dev.gputracker.shared.db;

import dev.gputracker.shared.catalog.GpuCatalog;
import java.sql.Connection;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;

/** Runs the catalog seed again on a connection, as Flyway does when the catalog file changes. */
final class CatalogReseed {
  private CatalogReseed() {}

  static void run(Connection c) throws Exception {
    new GpuCatalogSeed(GpuCatalog.load())
        .migrate(
            new Context() {
              @Override
              public Configuration getConfiguration() {
                return null;
              }

              @Override
              public Connection getConnection() {
                return c;
              }
            });
  }
}
