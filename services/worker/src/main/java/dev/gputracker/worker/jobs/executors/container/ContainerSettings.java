package dev.gputracker.worker.jobs.executors.container;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.Env;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the worker runs container jobs, from the environment (every variable is in README's table).
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

  public static ContainerSettings from(Env env) {
    String host = env.string("DOCKER_HOST", DEFAULT_HOST);
    URI uri;
    try {
      uri = URI.create(host);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "DOCKER_HOST is not a URI (unix:///path or tcp://host:port): " + host);
    }
    if (!"unix".equals(uri.getScheme()) && !"tcp".equals(uri.getScheme())) {
      throw new ConfigException("DOCKER_HOST must be unix:///path or tcp://host:port, got " + host);
    }
    PullPolicy policy = env.oneOf("CONTAINER_PULL", PullPolicy.class, PullPolicy.MISSING);
    double cpus = env.decimal("CONTAINER_CPUS", 2.0, 0.01, 1024);
    return new ContainerSettings(
        env.bool("CONTAINER_JOBS", true),
        uri,
        env.integer("CONTAINER_MEMORY_MB", 2048, 6, 4_194_304),
        cpus,
        env.integer("CONTAINER_PIDS_LIMIT", 1024, 16, 4_194_304),
        policy,
        16_384);
  }

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
