package dev.gputracker.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@code deployments/test/containers.sh}: both images built from the unchanged Dockerfiles
 * with podman, the unchanged compose stack up and healthy, the operator's oneshot, the API serving
 * its listings, non-root processes, a clean SIGTERM. Where podman (rootful), debootstrap or
 * python3-yaml is missing, or the script finds that this machine cannot run containers (exit 3: no
 * Debian mirror, no container start, no container network), it is skipped, saying which.
 */
class ContainersScriptTest {
  private static final Pattern RESULT =
      Pattern.compile(
          "RESULT images_built=(\\d+) stack_healthy=(\\w+) oneshot_exit=(-?\\d+) api_listings=(\\d+) api_image_mb=(\\d+)"
              + " worker_image_mb=(\\d+)");

  @Test
  @Timeout(value = 40, unit = TimeUnit.MINUTES)
  @DisplayName(
      "both images build from the unchanged Dockerfiles and the compose stack runs a oneshot and serves it")
  void imagesBuildAndTheStackRuns() throws Exception {
    assumeTrue(
        !"true".equals(System.getenv("GPU_TRACKER_SKIP_CONTAINERS")),
        "GPU_TRACKER_SKIP_CONTAINERS=true: the container stack test was asked off");
    assumeTrue(
        onPath("podman"),
        "podman is not installed: the images are built and run with it (Debian: apt-get"
            + " install podman runc debootstrap python3-yaml, as .ci/run does)");
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "the container stack test runs rootful podman: run"
            + " the tests as root (CI does) or run deployments/test/containers.sh yourself");
    assumeTrue(
        onPath("debootstrap") || Files.isExecutable(Path.of("/usr/sbin/debootstrap")),
        "debootstrap is not installed: it builds the stand-in base images (Debian: apt-get install debootstrap)");
    assumeTrue(
        run(List.of("/usr/bin/python3", "-c", "import yaml"), null) == 0,
        "python3-yaml is not installed: the compose runner reads docker-compose.yml with it (Debian: apt-get"
            + " install python3-yaml)");

    Path root = Path.of("../..").toAbsolutePath().normalize();
    Path log = Files.createTempFile("containers", ".log");
    int exit =
        run(
            List.of("bash", root.resolve("deployments/test/containers.sh").toString()),
            log.toFile());
    String output = Files.readString(log);
    Matcher cannot = Pattern.compile("cannot run here: (.*)").matcher(output);
    boolean machineCannot = exit == 3 && cannot.find();
    assumeTrue(
        !machineCannot, () -> "this machine cannot run the container stack: " + cannot.group(1));
    Matcher result = RESULT.matcher(output);
    assertThat(result.find()).as("the script's RESULT line; output:\n%s", tail(output)).isTrue();
    assertThat(result.group(1)).isEqualTo("2");
    assertThat(result.group(2)).as(tail(output)).isEqualTo("true");
    assertThat(result.group(3)).as(tail(output)).isEqualTo("0");
    assertThat(Integer.parseInt(result.group(4)))
        .as("listings the API serves after the oneshot")
        .isPositive();
    assertThat(exit).as(tail(output)).isZero();
  }

  private static int run(List<String> command, File output) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(
        output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output));
    return builder.start().waitFor();
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static String tail(String output) {
    return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
  }
}
