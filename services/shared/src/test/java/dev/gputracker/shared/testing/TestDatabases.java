package dev.gputracker.shared.testing;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server the tests use, chosen once per JVM: {@code PG_TEST_URL} when set (any
 * reachable server whose user may create databases), else a Testcontainers PostgreSQL 16 when a
 * Docker engine answers, else an embedded PostgreSQL. Each call of {@link #fresh()} creates a new,
 * migrated database on it, so test classes never see each other's rows.
 */
public final class TestDatabases {
  private static final Logger LOG = LoggerFactory.getLogger(TestDatabases.class);
  private static Server server;

  private TestDatabases() {}

  /** A new empty database with the current schema applied. */
  public static synchronized DatabaseUrl fresh() {
    DatabaseUrl url = freshUnmigrated();
    Migrator.migrate(url);
    return url;
  }

  /** A new empty database without the schema. */
  public static synchronized DatabaseUrl freshUnmigrated() {
    Server s = server();
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c =
            DriverManager.getConnection(s.admin.jdbcUrl(), s.admin.user(), s.admin.password());
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name); // name is generated above, never user input
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database on " + s.admin.redacted(), e);
    }
    return DatabaseUrl.parse("PG_TEST_URL", s.urlFor(name));
  }

  /**
   * The embedded server, when that is what the tests use; tests that stop and restart PostgreSQL
   * need it.
   */
  public static synchronized String describe() {
    return server().description;
  }

  private static Server server() {
    if (server == null) {
      server = start();
      LOG.info("Tests use {}", server.description);
    }
    return server;
  }

  private static Server start() {
    String explicit = System.getenv("PG_TEST_URL");
    if (explicit != null && !explicit.isBlank()) {
      DatabaseUrl admin = DatabaseUrl.parse("PG_TEST_URL", explicit);
      return new Server(admin, "PG_TEST_URL (" + admin.redacted() + ")");
    }
    if (dockerAvailable()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      DatabaseUrl admin =
          DatabaseUrl.parse(
              "PG_TEST_URL",
              "postgres://"
                  + container.getUsername()
                  + ":"
                  + container.getPassword()
                  + "@"
                  + container.getHost()
                  + ":"
                  + container.getMappedPort(5432)
                  + "/"
                  + container.getDatabaseName()
                  + "?sslmode=disable");
      return new Server(admin, "Testcontainers " + container.getDockerImageName());
    }
    try {
      Path dir = Files.createTempDirectory("gpu-tracker-test-pg");
      EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0);
      Runtime.getRuntime().addShutdownHook(new Thread(db::close));
      return new Server(db.url("postgres"), "embedded PostgreSQL on port " + db.port());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean dockerAvailable() {
    if ("false".equalsIgnoreCase(System.getenv("TESTCONTAINERS_ENABLED"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static final class Server {
    final DatabaseUrl admin;
    final String description;

    Server(DatabaseUrl admin, String description) {
      this.admin = admin;
      this.description = description;
    }

    String urlFor(String database) {
      return "postgres://"
          + admin.user()
          + ":"
          + (admin.password() == null ? "" : admin.password())
          + "@"
          + admin.host()
          + ":"
          + admin.port()
          + "/"
          + database
          + "?sslmode=disable";
    }
  }
}
