package dev.gputracker.worker.config;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.rates.ExchangeRates;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * The worker's configuration, read once from the environment and validated at start-up: a missing
 * or malformed value fails with one line naming the variable. Every variable is documented in
 * README.md.
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
 * @param heartbeat {@code WORKER_HEARTBEAT_SECONDS}: how often the worker's row in {@code workers}
 *     is refreshed (default 15); three missed heartbeats and readers call the worker gone
 * @param jobCapacity {@code JOB_CAPACITY}: compute jobs run at once (default 4; 0 runs none)
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
    Duration heartbeat,
    int jobCapacity) {

  /** Scraping only, with the default heartbeat (tests and benchmarks that build one by hand). */
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
        Duration.ofSeconds(15),
        0);
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
        heartbeat(env),
        env.integer("JOB_CAPACITY", 4, 0, 1024));
  }

  /** {@code WORKER_HEARTBEAT_SECONDS} (1 … 3600, default 15); also read by {@code jobs run}. */
  public static Duration heartbeat(Env env) {
    return Duration.ofSeconds(env.integer("WORKER_HEARTBEAT_SECONDS", 15, 1, 3600));
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
        heartbeat,
        jobCapacity);
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
        heartbeat,
        jobCapacity);
  }

  public WorkerConfig withJobCapacity(int replaced) {
    return new WorkerConfig(
        database,
        mode,
        interval,
        sources,
        workerId,
        dbPoolSize,
        shutdownGrace,
        httpPort,
        fallbackRates,
        heartbeat,
        replaced);
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
        heartbeat,
        jobCapacity);
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
        + jobCapacity
        + " database="
        + database.redacted();
  }
}
