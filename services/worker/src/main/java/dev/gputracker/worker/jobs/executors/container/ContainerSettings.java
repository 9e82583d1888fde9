package dev.gputracker.worker.jobs.executors.container;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the worker runs container jobs, read once at start-up ({@code config.ComponentSettings};
 * every variable is in README's table).
 *
 * @param enabled {@code CONTAINER_JOBS} (default true): run {@code container} jobs when an engine
 *     answers
 * @param dockerHost {@code DOCKER_HOST} (default {@code unix:///var/run/docker.sock}); podman's
 *     socket works too
 * @param memoryMb {@code CONTAINER_MEMORY_MB} (default 2048): the memory limit of a job that sets
 *     none; swap off
 * @param cpus {@code CONTAINER_CPUS} (default 2): the CPU limit of a job that sets none
 * @param pidsLimit {@code CONTAINER_PIDS_LIMIT} (default 1024): processes per container (fork bombs
 *     stop there)
 * @param pull {@code CONTAINER_PULL}: {@code missing} (default) pulls an image the engine lacks,
 *     {@code never} fails
 * @param tailChars how much of a job's output is kept
 */
public record ContainerSettings(
    boolean enabled,
    URI dockerHost,
    int memoryMb,
    double cpus,
    long pidsLimit,
    PullPolicy pull,
    int tailChars) {

  /** Whether a missing image is pulled. */
  public enum PullPolicy {
    MISSING,
    NEVER
  }

  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  /**
   * Why no engine can answer without asking one: a {@code unix://} socket that does not exist.
   * Empty when the engine must be asked (a socket file that exists, or a {@code tcp://} address).
   */
  public Optional<String> missingSocket() {
    if (!"unix".equals(dockerHost.getScheme()) || Files.exists(Path.of(dockerHost.getPath()))) {
      return Optional.empty();
    }
    return Optional.of(
        "no container engine at "
            + dockerHost
            + ": no such socket"
            + (DEFAULT_HOST.equals(dockerHost.toString())
                ? " (set DOCKER_HOST to a Docker or podman socket)"
                : ""));
  }

  public ContainerSettings withHost(URI host) {
    return new ContainerSettings(enabled, host, memoryMb, cpus, pidsLimit, pull, tailChars);
  }

  public ContainerSettings withPull(PullPolicy policy) {
    return new ContainerSettings(enabled, dockerHost, memoryMb, cpus, pidsLimit, policy, tailChars);
  }
}
