package dev.gputracker.api;

import dev.gputracker.api.server.ApiMain;
import dev.gputracker.shared.config.DatabaseUrl;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The API started as a real child JVM from the test classpath with a normal heap, as it runs in
 * production: tests measure its memory, send it SIGTERM, and watch its exit code.
 */
final class ApiChild implements AutoCloseable {
  private final Process process;
  private final Path output;
  private final int port;

  private ApiChild(Process process, Path output, int port) {
    this.process = process;
    this.output = output;
    this.port = port;
  }

  /** Starts {@code ApiMain} over {@code db} with {@code env} added, and waits until it serves. */
  static ApiChild start(DatabaseUrl db, Map<String, String> env, String... jvmOptions)
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(List.of(java, "-Xmx256m", "-Dlogback.configurationFile=logback.xml"));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ApiMain.class.getName()));
    Path output = Files.createTempFile("api-child", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
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
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("RATE_LIMIT_PER_MINUTE", "0");
    builder.environment().putAll(env);
    ApiChild child = new ApiChild(builder.start(), output, port);
    child.awaitOutput("API on http://", 60);
    return child;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** The process's resident set size from /proc, in bytes. */
  long rssBytes() throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for " + process.pid());
  }

  /**
   * Waits until the API has printed {@code text}: a condition checked every 20 ms, never a fixed
   * sleep.
   */
  void awaitOutput(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!output().contains(text)) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError("the API never printed '" + text + "'; output:\n" + output());
      }
      Thread.sleep(20);
    }
  }

  /** SIGTERM. */
  void terminate() {
    process.destroy();
  }

  /**
   * Waits for the exit and returns its code, or fails (killing the process) after {@code millis}.
   */
  int waitFor(long millis) throws InterruptedException {
    if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "the API did not exit within " + millis + " ms; output:\n" + output());
    }
    return process.exitValue();
  }

  String output() {
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
