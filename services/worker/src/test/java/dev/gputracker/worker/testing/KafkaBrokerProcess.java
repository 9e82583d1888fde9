package dev.gputracker.worker.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (KRaft, one node acting as broker and controller) in a process of its own,
 * started from the Kafka jars on the test class path, for tests that must stop a broker and start
 * it again on the same address with its data. (The in-JVM test kit binds fresh random ports on
 * every start, so it cannot come back.)
 */
public final class KafkaBrokerProcess implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final Path properties;
  private Process process;

  private KafkaBrokerProcess(Path dir, int port, Path properties) {
    this.dir = dir;
    this.port = port;
    this.properties = properties;
  }

  /** Formats a new log directory and starts the broker; blocks until it accepts connections. */
  public static KafkaBrokerProcess start() throws Exception {
    Path dir = Files.createTempDirectory("gpu-tracker-kafka");
    int port = freePort();
    int controller = freePort();
    Path props = dir.resolve("server.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@localhost:" + controller,
            "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controller,
            "advertised.listeners=PLAINTEXT://localhost:" + port,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name=PLAINTEXT",
            "log.dirs=" + dir.resolve("data"),
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            ""));
    KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, port, props);
    String clusterId = Uuid.randomUuid().toString();
    Process format =
        java("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.toString())
            .redirectOutput(dir.resolve("format.log").toFile())
            .redirectErrorStream(true)
            .start();
    if (format.waitFor() != 0) {
      throw new IllegalStateException(
          "formatting the Kafka log directory failed: "
              + Files.readString(dir.resolve("format.log")));
    }
    broker.up();
    return broker;
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  /** Starts the broker on its address with its data; blocks until it accepts connections. */
  public void up() throws Exception {
    process =
        java("kafka.Kafka", properties.toString())
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
            .redirectErrorStream(true)
            .start();
    // A test that times out may never reach close(): the broker must not outlive the test JVM.
    Process started = process;
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Kafka broker exited: " + Files.readString(dir.resolve("broker.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("localhost", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100); // polling a port that is not open yet; nothing to wait on
      }
    }
    throw new IllegalStateException("the Kafka broker did not open port " + port + " within 60 s");
  }

  /** Stops the broker (SIGTERM, a clean shutdown) and waits for the process to end. */
  public void down() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static ProcessBuilder java(String main, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                main));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
