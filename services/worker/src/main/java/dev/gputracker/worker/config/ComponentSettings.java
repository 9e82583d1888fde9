package dev.gputracker.worker.config;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.Env;
import dev.gputracker.worker.events.KafkaSettings;
import dev.gputracker.worker.gpu.GpuSettings;
import dev.gputracker.worker.jobs.JobExecutors;
import dev.gputracker.worker.jobs.JobSettings;
import dev.gputracker.worker.jobs.executors.GpuBenchmarkExecutor;
import dev.gputracker.worker.jobs.executors.container.ContainerSettings;
import dev.gputracker.worker.jobs.executors.container.ContainerSettings.PullPolicy;
import dev.gputracker.worker.retention.RetentionSettings;
import java.net.URI;
import java.time.Duration;

/**
 * Each component's settings record, read from the environment: once, at start-up, by {@link
 * WorkerConfig#from} and by the commands that start one component alone ({@code jobs run}, {@code
 * gpus}). A missing or malformed value fails with one line naming the variable; the components get
 * the records and never read the environment themselves. What each variable means is on its record.
 */
public final class ComponentSettings {
  private ComponentSettings() {}

  /** {@link JobSettings}, with the container settings. */
  public static JobSettings jobs(Env env) {
    return new JobSettings(
        env.integer("JOB_CAPACITY", 4, 0, 1024),
        heartbeat(env),
        env.bool("ALLOW_NATIVE_JOBS", false),
        env.oneOf(
            "GPU_BENCHMARK_JOBS",
            GpuBenchmarkExecutor.Policy.class,
            GpuBenchmarkExecutor.Policy.AUTO),
        containers(env));
  }

  /** {@code WORKER_HEARTBEAT_SECONDS} (1 … 3600, default 15). */
  static Duration heartbeat(Env env) {
    return Duration.ofSeconds(env.integer("WORKER_HEARTBEAT_SECONDS", 15, 1, 3600));
  }

  /** {@link ContainerSettings}. */
  public static ContainerSettings containers(Env env) {
    String host = env.string("DOCKER_HOST", ContainerSettings.DEFAULT_HOST);
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
        JobExecutors.LOG_TAIL_CHARS);
  }

  /** {@link GpuSettings}. */
  public static GpuSettings gpu(Env env) {
    return new GpuSettings(env.bool("SKIP_GPU_CHECK", false), env.optional("PATH").orElse(""));
  }

  /** {@link KafkaSettings}. */
  public static KafkaSettings kafka(Env env) {
    return new KafkaSettings(
        env.optional("KAFKA_BOOTSTRAP_SERVERS").filter(s -> !s.isBlank()),
        env.optional("KAFKA_EVENTS_TOPIC").orElse("gpu-tracker.events"),
        env.optional("KAFKA_JOB_REQUESTS_TOPIC").orElse("gpu-tracker.job-requests"),
        env.optional("KAFKA_JOB_REQUESTS_DLQ_TOPIC").orElse("gpu-tracker.job-requests.dlq"),
        env.integer("KAFKA_TOPIC_PARTITIONS", 6, 1, 10_000),
        (short) env.integer("KAFKA_REPLICATION_FACTOR", 1, 1, 16));
  }

  /** {@link RetentionSettings}. */
  public static RetentionSettings retention(Env env) {
    return new RetentionSettings(
        Duration.ofDays(env.integer("REJECTED_RETENTION_DAYS", 90, 1, 3650)),
        Duration.ofHours(env.integer("OUTBOX_RETENTION_HOURS", 168, 1, 24 * 365)));
  }
}
