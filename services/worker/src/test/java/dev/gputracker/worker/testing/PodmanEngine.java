package dev.gputracker.worker.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gputracker.worker.jobs.executors.container.DockerEngine;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real container engine for tests: podman's Docker-compatible API on a unix socket under {@code
 * target/}, as in {@code ../shared/notes/podman.md} (runc with cgroupfs, no default ulimits). No
 * registry is reachable here, so the test image is imported from the host's static busybox. Where
 * podman is not installed the tests are skipped with the reason; {@code .ci/run} installs it.
 */
public final class PodmanEngine implements AutoCloseable {
  /** A busybox image built locally: sh, echo, cat, sleep, ls, env, dd, head, tr. */
  public static final String IMAGE = "localhost/gpu-tracker-busybox:test";

  private static final String[] APPLETS = {
    "sh", "echo", "cat", "sleep", "ls", "env", "dd", "head", "tr", "printf"
  };

  private final Path dir;
  private final Path socket;
  private final Process service;

  private PodmanEngine(Path dir, Path socket, Process service) {
    this.dir = dir;
    this.socket = socket;
    this.service = service;
  }

  /**
   * Starts the API service (and builds the image once); skips the calling test where podman is
   * missing.
   */
  public static PodmanEngine start() throws IOException, InterruptedException {
    assumeTrue(
        onPath("podman"),
        "podman is not installed: the container executor needs a real engine here"
            + " (Debian: apt-get install podman runc busybox-static, as .ci/run does)");
    Path busybox = Path.of("/bin/busybox");
    assumeTrue(
        Files.isExecutable(busybox),
        "no /bin/busybox to build the test image from (Debian: apt-get install busybox-static)");
    Path dir = Path.of("target", "podman").toAbsolutePath();
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("containers.conf"),
        """
        [containers]
        default_ulimits = []
        [engine]
        cgroup_manager = "cgroupfs"
        runtime = "runc"
        """);
    if (podman(dir, "image", "exists", IMAGE) != 0) {
      buildImage(dir, busybox);
    }
    // podman is there but may not run containers in this sandbox (rootless without subordinate ids,
    // no cgroups):
    // that is the environment's limit, said as a skip, not a failure of the executor.
    String smoke = runOnce(dir);
    assumeTrue(smoke == null, "podman cannot run a container here: " + smoke);
    Path socket = dir.resolve("api-" + ProcessHandle.current().pid() + ".sock");
    Files.deleteIfExists(socket);
    ProcessBuilder pb =
        new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + socket)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("service.log").toFile())
            // conmon leaves files (an "oom" marker) in the service's working directory: keep them
            // under target/.
            .directory(dir.toFile());
    pb.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
    Process service = pb.start();
    PodmanEngine engine = new PodmanEngine(dir, socket, service);
    engine.awaitReady();
    return engine;
  }

  public URI host() {
    return URI.create("unix://" + socket);
  }

  /** Runs {@code podman args...} against the same storage; returns its standard output. */
  public String podman(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("podman"));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    service.destroy();
    if (!service.waitFor(10, TimeUnit.SECONDS)) {
      service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(socket);
  }

  private void awaitReady() throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException(
            "podman system service exited: " + Files.readString(dir.resolve("service.log")));
      }
      if (Files.exists(socket)) {
        try (DockerEngine e = DockerEngine.connect(host())) {
          return;
        } catch (RuntimeException notYet) {
          last = notYet;
        }
      }
      Thread.sleep(50); // polling a socket that is not there yet; nothing to wait on
    }
    throw new IllegalStateException(
        "podman's API did not answer at " + socket + " within 60 s", last);
  }

  private static void buildImage(Path dir, Path busybox) throws IOException, InterruptedException {
    Path rootfs = dir.resolve("rootfs");
    Path bin = rootfs.resolve("bin");
    Files.createDirectories(bin);
    Files.copy(busybox, bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
    for (String applet : APPLETS) {
      Path link = bin.resolve(applet);
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, Path.of("busybox"));
    }
    Path tar = dir.resolve("busybox.tar");
    if (new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")
            .inheritIO()
            .start()
            .waitFor()
        != 0) {
      throw new IOException("tar failed for " + rootfs);
    }
    assumeTrue(
        podman(dir, "import", "-q", tar.toString(), IMAGE) == 0,
        "podman cannot import an image here (podman import " + tar + " failed)");
  }

  /** Runs the test image once; null when that works, else what podman said. */
  private static String runOnce(Path dir) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder("podman", "run", "--rm", IMAGE, "sh", "-c", "exit 0")
            .redirectErrorStream(true);
    pb.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
    pb.directory(dir.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "podman run did not finish in 120 s";
    }
    return p.exitValue() == 0
        ? null
        : out.lines().reduce((a, b) -> b).orElse("exit " + p.exitValue());
  }

  private static int podman(Path dir, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("podman"));
    argv.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
        return true;
      }
    }
    return false;
  }
}
