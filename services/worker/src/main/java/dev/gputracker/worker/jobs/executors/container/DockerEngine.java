package dev.gputracker.worker.jobs.executors.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.VersionComponent;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A connection to a Docker-compatible engine: Docker itself, or podman's Docker API ({@code podman
 * system service}). Every call blocks: use it from worker threads only.
 *
 * @param client the docker-java client (zerodep transport: unix sockets, no Netty or Jersey on the
 *     classpath)
 * @param name the engine's product name as it reports it ("Docker Engine - Community", "Podman
 *     Engine")
 * @param version the engine's version
 */
public record DockerEngine(DockerClient client, String name, String version)
    implements AutoCloseable {

  /** Connects and asks the engine who it is; throws when nothing answers at {@code host}. */
  public static DockerEngine connect(URI host) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(host.toString())
            .build();
    ZerodepDockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(64)
            .connectionTimeout(Duration.ofSeconds(5))
            // Log streams and waits stay open for as long as a job runs: no response timeout.
            .build();
    DockerClient client = DockerClientImpl.getInstance(config, http);
    try {
      Version v = client.versionCmd().exec();
      List<VersionComponent> components = v.getComponents();
      String product =
          components == null || components.isEmpty()
              ? "Docker Engine"
              : components.get(0).getName();
      return new DockerEngine(client, product, v.getVersion());
    } catch (RuntimeException e) {
      closeQuietly(client);
      throw e;
    }
  }

  /** Podman attaches GPUs through CDI device names, Docker through the NVIDIA device driver. */
  public boolean podman() {
    return name != null && name.toLowerCase(Locale.ROOT).contains("podman");
  }

  @Override
  public void close() {
    closeQuietly(client);
  }

  private static void closeQuietly(DockerClient client) {
    try {
      client.close();
    } catch (IOException | RuntimeException ignored) {
      // Closing a connection pool that is already gone.
    }
  }
}
