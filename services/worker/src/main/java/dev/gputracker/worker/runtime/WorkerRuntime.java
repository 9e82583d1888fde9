package dev.gputracker.worker.runtime;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.db.AdvisoryLocks;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.observability.ErrorReporting;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.config.WorkerMode;
import dev.gputracker.worker.events.JobIntake;
import dev.gputracker.worker.events.KafkaSettings;
import dev.gputracker.worker.events.OutboxRelay;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.normalize.TitleNormalizer;
import dev.gputracker.worker.ops.FailureReporter;
import dev.gputracker.worker.ops.OpsServer;
import dev.gputracker.worker.ops.WorkerMetrics;
import dev.gputracker.worker.persist.HealthStore;
import dev.gputracker.worker.persist.ListingStore;
import dev.gputracker.worker.persist.PriceBands;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.SourceStore;
import dev.gputracker.worker.rates.RatesStore;
import dev.gputracker.worker.rates.RatesUpdater;
import dev.gputracker.worker.retention.BatchedDelete;
import dev.gputracker.worker.retention.OutboxPrune;
import dev.gputracker.worker.retention.RetentionJanitor;
import dev.gputracker.worker.retention.RetentionSettings;
import dev.gputracker.worker.scrape.AdapterRegistry;
import dev.gputracker.worker.scrape.ProgressListener;
import dev.gputracker.worker.scrape.ScrapeEngine;
import dev.gputracker.worker.scrape.fetch.Fetcher;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's moving parts wired together: one Vert.x, one database pool, one fetcher, one scrape
 * engine, and the long-lived components as verticles (the outbox relay, the job intake, the job
 * runner, the daemon's scrape schedule), deployed through {@link #deploy} and undeployed in the
 * reverse order on {@link #close}: what takes work in stops before what publishes its results.
 */
public final class WorkerRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRuntime.class);
  private final Vertx vertx;
  private final Pool pool;
  private final Fetcher fetcher;
  private final ScrapeEngine engine;
  private final WorkerMetrics metrics;
  private final OpsServer ops;
  private final WorkerConfig config;
  private OutboxRelay relay;
  private RetentionJanitor retention;
  private JobIntake intake;

  /** Deployments, latest first: the order they are undeployed in. */
  private final Deque<Future<String>> deployments = new ArrayDeque<>();

  private WorkerRuntime(
      Vertx vertx,
      Pool pool,
      Fetcher fetcher,
      ScrapeEngine engine,
      WorkerMetrics metrics,
      OpsServer ops,
      WorkerConfig config) {
    this.config = config;
    this.vertx = vertx;
    this.pool = pool;
    this.fetcher = fetcher;
    this.engine = engine;
    this.metrics = metrics;
    this.ops = ops;
  }

  /**
   * Starts Vert.x (with Prometheus metrics), the pool, the engine and the health/metrics port.
   * Blocking.
   */
  public static WorkerRuntime start(WorkerConfig config) {
    WorkerMetrics metrics = new WorkerMetrics();
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setMetricsOptions(
                        new MicrometerMetricsOptions()
                            .setEnabled(true)
                            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
            .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
            .build();
    // Errors thrown inside Vert.x handlers never reach the JVM's uncaught handler: report them
    // here.
    vertx.exceptionHandler(err -> ErrorReporting.capture(err, Map.of("where", "event-loop")));
    Pool pool = Database.pool(vertx, config.database(), "worker", config.dbPoolSize());
    Fetcher fetcher = new Fetcher(vertx);
    ScrapeEngine engine =
        new ScrapeEngine(
            vertx,
            fetcher,
            AdapterRegistry.load(),
            new TitleNormalizer(GpuCatalog.load()),
            new SourceStore(pool),
            new ListingStore(pool),
            new RunStore(pool),
            new HealthStore(pool),
            new AdvisoryLocks(vertx, config.database().connectOptions()),
            () -> PriceBands.load(pool),
            new RatesUpdater(
                vertx,
                fetcher,
                new RatesStore(pool),
                new RunStore(pool),
                new HealthStore(pool),
                config.fallbackRates()),
            config.workerId());
    OpsServer ops = new OpsServer(config.httpPort(), pool, metrics.registry());
    WorkerRuntime runtime = new WorkerRuntime(vertx, pool, fetcher, engine, metrics, ops, config);
    // First deployed, last undeployed: health and metrics answer while the rest stops.
    runtime.deploy(ops).await();
    metrics.watchJobs(vertx, pool);
    return runtime;
  }

  /**
   * Starts publishing the outbox to Kafka when {@code KAFKA_BOOTSTRAP_SERVERS} is set; with Kafka,
   * a daemon also takes job requests from the intake topic. Prepares the pruning of rejects and the
   * outbox ({@link #retention()}): with Kafka the relay prunes only what it published. Blocking.
   */
  public void startEvents(KafkaSettings kafka, RetentionSettings retentionSettings) {
    if (kafka.enabled()) {
      relay = new OutboxRelay(pool, config.database().connectOptions(), kafka);
      deploy(relay).await();
      metrics.outboxLag(relay::lagEvents, relay::lagSeconds);
      if (config.mode() == WorkerMode.DAEMON) {
        intake = new JobIntake(new JobQueue(pool), kafka);
        deploy(intake)
            .onFailure(err -> LOG.warn("Job intake from Kafka not started: {}", err.getMessage()));
      }
    }
    OutboxPrune outbox = relay != null ? relay::prune : OutboxPrune.withoutKafka(pool);
    retention =
        new RetentionJanitor(
            vertx, pool, retentionSettings, BatchedDelete.DEFAULT, outbox, metrics);
  }

  /**
   * The pruning of rejects and the outbox, once {@link #startEvents} has run; the daemon schedules
   * it.
   */
  public Optional<RetentionJanitor> retention() {
    return Optional.ofNullable(retention);
  }

  /**
   * Publishes what the outbox holds now (oneshot runs, before they exit); at most 30 s. Blocking.
   */
  public void drainEvents() {
    if (relay != null) {
      relay.catchUp().await();
    }
  }

  /**
   * Deploys a long-lived component; {@link #close} undeploys it, after everything deployed later.
   * Resolves with its deployment id.
   */
  public Future<String> deploy(Deployable component) {
    Future<String> deployed = vertx.deployVerticle(component);
    synchronized (deployments) {
      deployments.push(deployed);
    }
    return deployed;
  }

  /**
   * Undeploys one component now, before the others (its {@code stop} drains it); {@link #close}
   * then skips it.
   */
  public Future<Void> undeploy(Future<String> deployment) {
    synchronized (deployments) {
      if (!deployments.remove(deployment)) {
        return Future.succeededFuture();
      }
    }
    return deployment.otherwiseEmpty().compose(this::undeployId);
  }

  private Future<Void> undeployId(String id) {
    return id == null ? Future.succeededFuture() : vertx.undeploy(id).otherwiseEmpty();
  }

  /** What every run reports to besides the console: Prometheus figures and, when on, Sentry. */
  public ProgressListener observers() {
    return metrics.and(new FailureReporter());
  }

  /** The port serving /health and /metrics. */
  public int httpPort() {
    return ops.port();
  }

  public Vertx vertx() {
    return vertx;
  }

  public Pool pool() {
    return pool;
  }

  public ScrapeEngine engine() {
    return engine;
  }

  /** Closes the fetcher, the pool and Vert.x; blocking, so call it from main or a shutdown hook. */
  @Override
  public void close() {
    while (true) {
      Future<String> latest;
      synchronized (deployments) {
        latest = deployments.poll();
      }
      if (latest == null) {
        break;
      }
      undeployLogged(latest);
    }
    if (retention != null) {
      retention.stop();
    }
    fetcher.close().await();
    pool.close().await();
    vertx.close().await();
  }

  private void undeployLogged(Future<String> deployment) {
    try {
      deployment.otherwiseEmpty().compose(this::undeployId).await();
    } catch (Exception e) {
      LOG.warn("A component did not stop cleanly: {}", e.getMessage());
    }
  }
}
