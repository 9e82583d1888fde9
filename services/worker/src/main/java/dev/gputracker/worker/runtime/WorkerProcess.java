package dev.gputracker.worker.runtime;

import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.config.WorkerMode;
import dev.gputracker.worker.gpu.GpuDetection;
import dev.gputracker.worker.gpu.GpuDetector;
import dev.gputracker.worker.jobs.JobService;
import dev.gputracker.worker.jobs.queue.WorkerRegistry;
import dev.gputracker.worker.retention.RetentionJanitor;
import dev.gputracker.worker.scrape.RunReport;
import io.vertx.core.Future;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker as a process: oneshot (one run, exit 0 when every source succeeded, 2 when some
 * failed, 1 when the run could not happen) or daemon (a run every interval, never two at once).
 * SIGTERM stops scheduling, lets each source finish the page in flight and its transaction, records
 * the run as interrupted, and exits. In both modes the process registers in {@code workers} (with
 * its GPUs and job capacity), heartbeats while it lives and marks itself stopped on the way out.
 * With {@code JOB_CAPACITY} above 0 it also runs compute jobs on its GPUs: the daemon whenever one
 * is queued (NOTIFY), a oneshot run those queued when its scrape ends.
 */
public final class WorkerProcess {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);

  private final WorkerConfig config;

  private final WorkerRuntime runtime;
  private final PrintStream out;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final CountDownLatch daemonDone = new CountDownLatch(1);

  /** The oneshot's run. */
  private volatile Future<RunReport> current = Future.succeededFuture();

  /** The daemon's deployments: its scrape schedule and its job runner. */
  private volatile Future<String> schedule;

  private volatile Future<String> jobRunner;
  private volatile WorkerRegistry registry;
  private volatile JobService jobs;

  public WorkerProcess(WorkerConfig config, WorkerRuntime runtime, PrintStream out) {
    this.config = config;
    this.runtime = runtime;
    this.out = out;
  }

  /**
   * Runs in the configured mode until done or stopped; returns the exit status. Blocks the calling
   * thread.
   */
  public int execute() {
    Thread hook = new Thread(this::stopFromSignal, "worker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    LOG.info("Worker starting: {}", config.describe());
    try {
      register();
      return config.mode() == WorkerMode.ONESHOT ? oneshot(config.sources()) : daemon();
    } finally {
      closeOnce();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Already in shutdown: the hook is running and will finish on its own.
      }
    }
  }

  /** One run over {@code sources}, printing progress and a summary table. */
  public int oneshot(List<SourceConfig> sources) {
    ConsoleProgress console = new ConsoleProgress(out);
    RunReport report;
    try {
      current = runtime.engine().run(sources, WorkerMode.ONESHOT, console.and(runtime.observers()));
      report = current.await();
    } catch (Exception e) {
      out.println("error: the run could not happen: " + e.getMessage());
      LOG.error("Run failed", e);
      return 1;
    }
    console.summary(report);
    JobService j = jobs;
    if (j != null) {
      try {
        out.println("Jobs: " + j.runQueuedNow().await() + " ran");
      } catch (Exception e) {
        out.println("error: queued jobs could not run: " + e.getMessage());
        LOG.error("Jobs failed", e);
      }
    }
    // The run's events leave with it when Kafka is configured (the next relay would publish them
    // otherwise).
    runtime.drainEvents();
    // One pruning pass per run: a worker deployed only as a cron oneshot keeps rejects and the
    // outbox bounded too.
    runtime
        .retention()
        .ifPresent(
            r -> {
              try {
                r.pass().await();
              } catch (Exception e) {
                LOG.warn("Pruning failed: {}", e.getMessage());
              }
            });
    return report.anyFailed() ? 2 : 0;
  }

  private int daemon() {
    LOG.info("Daemon mode: a run every {} s", config.interval().toSeconds());
    JobService j = jobs;
    if (j != null) {
      try {
        jobRunner = runtime.deploy(j.runner());
        jobRunner.await();
      } catch (Exception e) {
        LOG.error("The job runner could not start; scraping goes on", e);
      }
    }
    runtime.retention().ifPresent(RetentionJanitor::schedule);
    schedule =
        runtime.deploy(
            new ScrapeSchedule(
                runtime.engine(),
                config.sources(),
                runtime.observers(),
                config.interval(),
                config.shutdownGrace()));
    try {
      daemonDone.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * The shutdown hook: stop scheduling, wait for the pages in flight (the schedule's undeployment
   * does, within the grace), then release everything.
   */
  private void stopFromSignal() {
    if (stopped.get()) {
      closeOnce();
      return;
    }
    LOG.info("SIGTERM: stopping");
    runtime.engine().requestStop();
    Future<String> s = schedule;
    Future<?> scraping = s != null ? runtime.undeploy(s) : current;
    CountDownLatch finished = new CountDownLatch(1);
    scraping.onComplete(ar -> finished.countDown());
    try {
      if (!finished.await(config.shutdownGrace().toSeconds() + 1, TimeUnit.SECONDS)) {
        LOG.warn(
            "Pages still in flight after {} s; exiting anyway", config.shutdownGrace().toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    daemonDone.countDown();
    closeOnce();
  }

  /**
   * Closes once, whichever of the main thread and the shutdown hook gets here first; the other
   * waits for it, because the JVM halts as soon as the hook returns.
   */
  private void closeOnce() {
    if (stopped.compareAndSet(false, true)) {
      try {
        close();
      } finally {
        closed.countDown();
      }
      return;
    }
    try {
      if (!closed.await(config.shutdownGrace().toSeconds() + 10, TimeUnit.SECONDS)) {
        LOG.warn("Shutdown did not finish in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Detects the GPUs (on a worker thread), starts the job executors and registers; a failure is
   * logged, never fatal to scraping.
   */
  private void register() {
    GpuDetection gpus;
    try {
      gpus = new GpuDetector(config.gpu()).detect(runtime.vertx()).await();
    } catch (Exception e) {
      gpus = new GpuDetection("none", List.of(), List.of("detection failed: " + e.getMessage()));
    }
    LOG.info(
        "GPUs: {} found ({}){}",
        gpus.gpus().size(),
        gpus.method(),
        gpus.notes().isEmpty() ? "" : "; " + String.join("; ", gpus.notes()));
    if (config.jobs().capacity() > 0) {
      try {
        jobs =
            JobService.start(
                    runtime.vertx(),
                    runtime.pool(),
                    config.database(),
                    config.jobs(),
                    config.workerId(),
                    gpus,
                    JobService.Timing.DEFAULT)
                .await();
      } catch (Exception e) {
        LOG.error("Jobs are off: the job executors could not start", e);
      }
    }
    try {
      WorkerRegistry r =
          new WorkerRegistry(
              runtime.vertx(),
              runtime.pool(),
              new WorkerRegistry.Registration(
                  config.workerId(),
                  WorkerConfig.hostName(),
                  gpus,
                  jobs == null ? 0 : config.jobs().capacity(),
                  WorkerRegistry.version(),
                  config.jobs().heartbeat()));
      registry = r;
      r.start().await();
    } catch (Exception e) {
      LOG.warn("Could not register worker {} in workers: {}", config.workerId(), e.getMessage());
    }
  }

  /**
   * Stops taking work and drains, in order: the job runner stops claiming and its jobs finish
   * (within the grace), the worker marks itself stopped, then the runtime undeploys the rest (the
   * job intake, then the outbox relay) and closes.
   */
  private void close() {
    Future<String> runner = jobRunner;
    if (runner != null) {
      runtime.undeploy(runner).await();
    }
    JobService j = jobs;
    if (j != null) {
      try {
        j.stop(runtime.vertx(), config.shutdownGrace()).await();
      } catch (Exception e) {
        LOG.warn("Jobs did not stop cleanly: {}", e.getMessage());
      }
    }
    WorkerRegistry r = registry;
    if (r != null) {
      try {
        r.stop().await();
      } catch (Exception e) {
        LOG.warn("Could not mark worker {} stopped: {}", config.workerId(), e.getMessage());
      }
    }
    runtime.close();
  }
}
