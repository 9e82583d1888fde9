package dev.gputracker.worker.config;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.rates.ExchangeRates;
import dev.gputracker.worker.events.KafkaSettings;
import dev.gputracker.worker.gpu.GpuSettings;
import dev.gputracker.worker.jobs.JobSettings;
import dev.gputracker.worker.retention.RetentionSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The worker's configuration, read once from the environment and validated at start-up: a missing
 * or malformed value fails with one line naming the variable. Every variable is documented in
 * README.md. Components get their part of it as a typed record ({@link ComponentSettings} reads
 * those) and never read the environment themselves.
 *
 * @param database {@code DATABASE_URL}
 * @param mode {@code WORKER_MODE}: daemon (default) or oneshot
 * @param interval {@code SCRAPE_INTERVAL_SECONDS}: time between daemon runs (default 3600)
 * @param sources the sources file ({@code SOURCES_FILE}) with its environment overrides
 * @param workerId {@code WORKER_ID}: names this process in runs and locks (default host:pid)
 * @param dbPoolSize {@code DB_POOL_SIZE}: connections to PostgreSQL (default 8)
 * @param shutdownGrace {@code SHUTDOWN_GRACE_SECONDS}: how long SIGTERM waits for the page in
 *     flight (default 25)
 * @param httpPort {@code WORKER_HTTP_PORT} (else {@code PORT}, as PaaS platforms inject it; default
 *     8081): /health and /metrics; 0 picks a free port
 * @param fallbackRates {@code FX_FALLBACK_RATES}: euro rates for currencies the ECB source has not
 *     provided
 * @param jobs how compute jobs run: capacity, heartbeat, the executors' settings
 * @param gpu how GPUs are detected
 * @param kafka where events go and job requests come from
 * @param retention how long rejects and the outbox are kept
 */
public record WorkerConfig(
    DatabaseUrl database,
    WorkerMode mode,
    Duration interval,
    List<SourceConfig> sources,
    String workerId,
    int dbPoolSize,
    Duration shutdownGrace,
    int httpPort,
    ExchangeRates fallbackRates,
    JobSettings jobs,
    GpuSettings gpu,
    KafkaSettings kafka,
    RetentionSettings retention) {

  /**
   * Scraping only, every other setting its default (tests and benchmarks that build one by hand).
   */
  public WorkerConfig(
      DatabaseUrl database,
      WorkerMode mode,
      Duration interval,
      List<SourceConfig> sources,
      String workerId,
      int dbPoolSize,
      Duration shutdownGrace,
      int httpPort,
      ExchangeRates fallbackRates) {
    this(
        database,
        mode,
        interval,
        sources,
        workerId,
        dbPoolSize,
        shutdownGrace,
        httpPort,
        fallbackRates,
        ComponentSettings.jobs(new Env(Map.of())).withCapacity(0),
        ComponentSettings.gpu(new Env(Map.of())),
        ComponentSettings.kafka(new Env(Map.of())),
        ComponentSettings.retention(new Env(Map.of())));
  }

  public static WorkerConfig from(Env env) {
    DatabaseUrl database = DatabaseUrl.fromEnv(env);
    return from(env, database);
  }

  /** The configuration with the database given (the local run brings its own). */
  public static WorkerConfig from(Env env, DatabaseUrl database) {
    WorkerMode mode = env.oneOf("WORKER_MODE", WorkerMode.class, WorkerMode.DAEMON);
    Duration interval =
        Duration.ofSeconds(env.integer("SCRAPE_INTERVAL_SECONDS", 3600, 10, 7 * 24 * 3600));
    List<SourceConfig> sources = SourcesFile.load(env);
    String workerId = env.string("WORKER_ID", defaultWorkerId());
    int pool = env.integer("DB_POOL_SIZE", 8, 2, 200);
    Duration grace = Duration.ofSeconds(env.integer("SHUTDOWN_GRACE_SECONDS", 25, 1, 3600));
    int httpPort = env.integer("WORKER_HTTP_PORT", env.integer("PORT", 8081, 1, 65535), 0, 65535);
    return new WorkerConfig(
        database,
        mode,
        interval,
        sources,
        workerId,
        pool,
        grace,
        httpPort,
        FallbackRates.from(env),
        ComponentSettings.jobs(env),
        ComponentSettings.gpu(env),
        ComponentSettings.kafka(env),
        ComponentSettings.retention(env));
  }

  public WorkerConfig withSources(List<SourceConfig> replaced) {
    return new WorkerConfig(
        database,
        mode,
        interval,
        replaced,
        workerId,
        dbPoolSize,
        shutdownGrace,
        httpPort,
        fallbackRates,
        jobs,
        gpu,
        kafka,
        retention);
  }

  public WorkerConfig withMode(WorkerMode replaced) {
    return new WorkerConfig(
        database,
        replaced,
        interval,
        sources,
        workerId,
        dbPoolSize,
        shutdownGrace,
        httpPort,
        fallbackRates,
        jobs,
        gpu,
        kafka,
        retention);
  }

  public WorkerConfig withHttpPort(int replaced) {
    return new WorkerConfig(
        database,
        mode,
        interval,
        sources,
        workerId,
        dbPoolSize,
        shutdownGrace,
        replaced,
        fallbackRates,
        jobs,
        gpu,
        kafka,
        retention);
  }

  static String defaultWorkerId() {
    return hostName() + ":" + ProcessHandle.current().pid();
  }

  /** This machine's host name, or "worker" when it has none that resolves. */
  public static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "worker";
    }
  }

  /** For logs: never prints the database password. */
  public String describe() {
    return "mode="
        + mode.dbValue()
        + " interval="
        + interval.toSeconds()
        + "s sources="
        + sources.size()
        + " worker="
        + workerId
        + " jobs="
        + jobs.capacity()
        + " database="
        + database.redacted();
  }
}
