package dev.gputracker.worker;

import dev.gputracker.shared.config.Env;
import dev.gputracker.worker.cli.ConsoleProgress;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.config.WorkerMode;
import dev.gputracker.worker.gpu.GpuDetection;
import dev.gputracker.worker.gpu.GpuDetector;
import dev.gputracker.worker.jobs.queue.WorkerRegistry;
import dev.gputracker.worker.scrape.RunReport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker as a process: oneshot (one run, exit 0 when every source succeeded, 2 when some failed, 1 when the
 * run could not happen) or daemon (a run every interval, never two at once). SIGTERM stops scheduling, lets each
 * source finish the page in flight and its transaction, records the run as interrupted, and exits. In both modes
 * the process registers in {@code workers} (with its GPUs, capacity 0: it runs no jobs), heartbeats while it lives
 * and marks itself stopped on the way out.
 */
public final class WorkerProcess {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);

  private final WorkerConfig config;
  private final WorkerRuntime runtime;
  private final PrintStream out;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CountDownLatch daemonDone = new CountDownLatch(1);
  private volatile Future<RunReport> current = Future.succeededFuture();
  private volatile long timerId = -1;
  private volatile WorkerRegistry registry;

  public WorkerProcess(WorkerConfig config, WorkerRuntime runtime, PrintStream out) {
    this.config = config;
    this.runtime = runtime;
    this.out = out;
  }

  /** Runs in the configured mode until done or stopped; returns the exit status. Blocks the calling thread. */
  public int execute() {
    Thread hook = new Thread(this::stopFromSignal, "worker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    LOG.info("Worker starting: {}", config.describe());
    try {
      register();
      return config.mode() == WorkerMode.ONESHOT ? oneshot(config.sources()) : daemon();
    } finally {
      if (stopped.compareAndSet(false, true)) {
        close();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Already in shutdown: the hook is running and will finish on its own.
        }
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
    // The run's events leave with it when Kafka is configured (the next relay would publish them otherwise).
    runtime.drainEvents();
    return report.anyFailed() ? 2 : 0;
  }

  private int daemon() {
    LOG.info("Daemon mode: a run every {} s", config.interval().toSeconds());
    runtime.vertx().runOnContext(v -> runAndReschedule());
    try {
      daemonDone.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private void runAndReschedule() {
    if (runtime.engine().stopRequested()) {
      daemonDone.countDown();
      return;
    }
    Promise<RunReport> done = Promise.promise();
    current = done.future();
    runtime.engine().run(config.sources(), WorkerMode.DAEMON, runtime.observers())
        .onComplete(ar -> {
          if (ar.succeeded()) {
            LOG.atInfo().addKeyValue("run_id", ar.result().runId())
                .log("Run {} {}", ar.result().runId(), ar.result().status());
          } else {
            LOG.error("Run could not happen; next try in {} s", config.interval().toSeconds(), ar.cause());
          }
          if (runtime.engine().stopRequested()) {
            daemonDone.countDown();
          } else {
            timerId = runtime.vertx().setTimer(config.interval().toMillis(), id -> runAndReschedule());
          }
        })
        .onComplete(done);
  }

  /** The shutdown hook: stop scheduling, wait for the pages in flight, then release everything. */
  private void stopFromSignal() {
    if (stopped.get()) {
      return;
    }
    LOG.info("SIGTERM: stopping");
    runtime.engine().requestStop();
    long t = timerId;
    if (t >= 0) {
      runtime.vertx().cancelTimer(t);
    }
    CountDownLatch finished = new CountDownLatch(1);
    current.onComplete(ar -> finished.countDown());
    try {
      if (!finished.await(config.shutdownGrace().toSeconds(), TimeUnit.SECONDS)) {
        LOG.warn("Pages still in flight after {} s; exiting anyway", config.shutdownGrace().toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    daemonDone.countDown();
    if (stopped.compareAndSet(false, true)) {
      close();
    }
  }

  /** Detects the GPUs (on a worker thread) and registers; a failure is logged, never fatal to scraping. */
  private void register() {
    try {
      GpuDetection gpus = new GpuDetector(Env.system()).detect(runtime.vertx()).await();
      LOG.info("GPUs: {} found ({}){}", gpus.gpus().size(), gpus.method(),
          gpus.notes().isEmpty() ? "" : "; " + String.join("; ", gpus.notes()));
      WorkerRegistry r = new WorkerRegistry(runtime.vertx(), runtime.pool(), new WorkerRegistry.Registration(
          config.workerId(), WorkerConfig.hostName(), gpus, 0, WorkerRegistry.version(), config.heartbeat()));
      registry = r;
      r.start().await();
    } catch (Exception e) {
      LOG.warn("Could not register worker {} in workers: {}", config.workerId(), e.getMessage());
    }
  }

  private void close() {
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
