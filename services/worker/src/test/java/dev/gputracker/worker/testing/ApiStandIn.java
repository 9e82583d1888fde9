package dev.gputracker.worker.testing;

import dev.gputracker.shared.config.DatabaseUrl;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A stand-in for the API jar that {@code local} starts: the real one is built after the worker
 * module, so the worker's tests cannot run it. It only says when it starts and stops, which is all
 * {@code local}'s lifecycle tests look at.
 */
public final class ApiStandIn {
  private ApiStandIn() {}

  public static void main(String[] args) throws Exception {
    // Like the real API it holds a database connection until it stops, and says whether the server
    // was still there.
    DatabaseUrl db = DatabaseUrl.parse("DATABASE_URL", System.getenv("DATABASE_URL"));
    Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try (Statement st = connection.createStatement()) {
                    st.execute("SELECT 1");
                    System.out.println("api stand-in stopped, its database still up");
                  } catch (SQLException e) {
                    System.out.println(
                        "api stand-in stopped after its database: " + e.getMessage());
                  }
                }));
    System.out.println("api stand-in up on port " + System.getenv("PORT"));
    new CountDownLatch(1).await(); // until a signal ends the process
  }

  /** A jar whose manifest runs this class from the test classpath, for {@code API_JAR}. */
  public static Path jar(Path dir) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, ApiStandIn.class.getName());
    StringBuilder classPath = new StringBuilder();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry).toAbsolutePath();
      classPath.append(p.toUri()).append(' ');
    }
    main.put(Attributes.Name.CLASS_PATH, classPath.toString().trim());
    Path jar = dir.resolve("api-stand-in.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      return jar;
    }
  }
}
