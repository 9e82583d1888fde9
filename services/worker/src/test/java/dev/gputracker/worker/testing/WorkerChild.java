package dev.gputracker.worker.testing;

import dev.gputracker.shared.config.DatabaseUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker started as a real child JVM (the test's own classpath), so tests can SIGTERM or kill -9
 * it.
 */
public final class WorkerChild implements AutoCloseable {
  private final Process process;
  private final Path output;

  private WorkerChild(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts {@code WorkerMain} with {@code args} and the given environment (plus DATABASE_URL). */
  public static WorkerChild start(DatabaseUrl db, Map<String, String> env, String... args)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    // The child logs as the shipped worker does (logback.xml), not with the tests'
    // logback-test.xml.
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Dlogback.configurationFile=logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.gputracker.worker.WorkerMain"));
    command.addAll(List.of(args));
    Path output = Files.createTempFile("worker-child", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(
            k -> k.startsWith("SOURCE_") || k.equals("SOURCES_FILE") || k.equals("WORKER_MODE"));
    if (db != null) {
      builder
          .environment()
          .put(
              "DATABASE_URL",
              "postgres://"
                  + db.user()
                  + ":"
                  + (db.password() == null ? "" : db.password())
                  + "@"
                  + db.host()
                  + ":"
                  + db.port()
                  + "/"
                  + db.database()
                  + "?sslmode=disable");
    }
    // Several workers run at once in tests: each takes a free port for /health and /metrics.
    builder.environment().put("WORKER_HTTP_PORT", "0");
    builder.environment().putAll(env);
    return new WorkerChild(builder.start(), output);
  }

  /** Writes a sources file with one demo-format source called {@code name} at {@code baseUrl}. */
  public static Path sourcesFile(String name, String baseUrl, int pageLimit) throws IOException {
    Path file = Files.createTempFile("sources", ".json");
    Files.writeString(
        file,
        "{\"sources\":[{\"name\":\""
            + name
            + "\",\"adapter\":\"demo\",\"base_url\":\""
            + baseUrl
            + "\",\"page_limit\":"
            + pageLimit
            + ",\"requests_per_second\":100,\"max_retries\":0,"
            // Tests hold pages on purpose for as long as they need (a second process starting, a
            // signal): a held page
            // must not end the run through the read timeout, however slow a loaded machine makes
            // the rest.
            + "\"read_timeout_ms\":300000}]}");
    return file;
  }

  public int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "worker did not exit within " + seconds + " s; output:\n" + output());
    }
    return process.exitValue();
  }

  /**
   * Waits until the worker has printed {@code text}: a condition, checked every 20 ms, never a
   * fixed sleep.
   */
  public void awaitOutput(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!output().contains(text)) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError("worker never printed '" + text + "'; output:\n" + output());
      }
      Thread.sleep(20);
    }
  }

  /** SIGTERM. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown hook runs. */
  public void kill() {
    process.destroyForcibly();
  }

  public String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
