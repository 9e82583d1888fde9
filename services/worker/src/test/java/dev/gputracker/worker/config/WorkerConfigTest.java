package dev.gputracker.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.Env;
import dev.gputracker.worker.jobs.executors.GpuBenchmarkExecutor;
import dev.gputracker.worker.jobs.executors.container.ContainerSettings.PullPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The worker's configuration is read once, into one record per component, and checked then. */
class WorkerConfigTest {
  private static WorkerConfig read(Map<String, String> vars) {
    Map<String, String> all = new HashMap<>(vars);
    all.put("DATABASE_URL", "postgres://u:p@db:5432/gpu");
    return WorkerConfig.from(new Env(all));
  }

  @Test
  @DisplayName("without variables every component gets its documented defaults")
  void defaults() {
    WorkerConfig config = read(Map.of());
    assertThat(config.jobs().capacity()).isEqualTo(4);
    assertThat(config.jobs().heartbeat()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.jobs().allowNativeJobs()).isFalse();
    assertThat(config.jobs().gpuBenchmarks()).isEqualTo(GpuBenchmarkExecutor.Policy.AUTO);
    assertThat(config.jobs().containers().dockerHost())
        .isEqualTo(URI.create("unix:///var/run/docker.sock"));
    assertThat(config.jobs().containers().pull()).isEqualTo(PullPolicy.MISSING);
    assertThat(config.gpu().skip()).isFalse();
    assertThat(config.kafka().enabled()).isFalse();
    assertThat(config.kafka().eventsTopic()).isEqualTo("gpu-tracker.events");
    assertThat(config.retention().rejects()).isEqualTo(Duration.ofDays(90));
    assertThat(config.retention().outbox()).isEqualTo(Duration.ofHours(168));
  }

  @Test
  @DisplayName("each component's variables land in its record")
  void components() {
    WorkerConfig config =
        read(
            Map.ofEntries(
                Map.entry("JOB_CAPACITY", "2"),
                Map.entry("WORKER_HEARTBEAT_SECONDS", "5"),
                Map.entry("ALLOW_NATIVE_JOBS", "true"),
                Map.entry("GPU_BENCHMARK_JOBS", "off"),
                Map.entry("DOCKER_HOST", "tcp://engine:2375"),
                Map.entry("CONTAINER_MEMORY_MB", "512"),
                Map.entry("SKIP_GPU_CHECK", "true"),
                Map.entry("PATH", "/opt/nvidia/bin"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"),
                Map.entry("REJECTED_RETENTION_DAYS", "30")));
    assertThat(config.jobs().capacity()).isEqualTo(2);
    assertThat(config.jobs().heartbeat()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.jobs().allowNativeJobs()).isTrue();
    assertThat(config.jobs().gpuBenchmarks()).isEqualTo(GpuBenchmarkExecutor.Policy.OFF);
    assertThat(config.jobs().containers().dockerHost()).isEqualTo(URI.create("tcp://engine:2375"));
    assertThat(config.jobs().containers().memoryMb()).isEqualTo(512);
    assertThat(config.gpu().skip()).isTrue();
    assertThat(config.gpu().path()).isEqualTo("/opt/nvidia/bin");
    assertThat(config.kafka().bootstrapServers()).isEqualTo(Optional.of("kafka:9092"));
    assertThat(config.retention().rejects()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  @DisplayName("a bad value of any component fails at start-up, naming the variable")
  void badValuesFailAtStartUp() {
    assertThatThrownBy(() -> read(Map.of("GPU_BENCHMARK_JOBS", "sometimes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GPU_BENCHMARK_JOBS must be one of auto, on, off");
    assertThatThrownBy(() -> read(Map.of("DOCKER_HOST", "http://engine")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("DOCKER_HOST must be unix:///path or tcp://host:port, got http://engine");
    assertThatThrownBy(() -> read(Map.of("WORKER_HEARTBEAT_SECONDS", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("WORKER_HEARTBEAT_SECONDS");
    assertThatThrownBy(() -> read(Map.of("KAFKA_TOPIC_PARTITIONS", "lots")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KAFKA_TOPIC_PARTITIONS");
    assertThatThrownBy(() -> read(Map.of("ALLOW_NATIVE_JOBS", "maybe")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ALLOW_NATIVE_JOBS");
  }
}
