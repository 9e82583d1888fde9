package dev.gputracker.worker.runtime;

import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.config.WorkerMode;
import dev.gputracker.worker.scrape.ProgressListener;
import dev.gputracker.worker.scrape.RunReport;
import dev.gputracker.worker.scrape.ScrapeEngine;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's scrape runs, as a verticle: a run at once, then one an interval after each run ends
 * (never two at once). Its life is a {@link Phase}: {@code RUNNING} ⇄ {@code WAITING} → {@code
 * STOPPING} when undeployed (no run is started any more; the run under way finishes the pages in
 * flight and is recorded interrupted, within the shutdown grace) → {@code STOPPED}.
 */
final class ScrapeSchedule extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeSchedule.class);

  /** Where the schedule is; see the class comment. */
  enum Phase {
    RUNNING,
    WAITING,
    STOPPING,
    STOPPED
  }

  private final ScrapeEngine engine;
  private final List<SourceConfig> sources;
  private final ProgressListener observers;
  private final Duration interval;
  private final Duration grace;
  private volatile Phase phase = Phase.WAITING;
  private Future<RunReport> current = Future.succeededFuture();
  private long timer = -1;

  ScrapeSchedule(
      ScrapeEngine engine,
      List<SourceConfig> sources,
      ProgressListener observers,
      Duration interval,
      Duration grace) {
    this.engine = engine;
    this.sources = sources;
    this.observers = observers;
    this.interval = interval;
    this.grace = grace;
  }

  Phase phase() {
    return phase;
  }

  @Override
  public Future<?> start() {
    context.runOnContext(v -> runNow());
    return Future.succeededFuture();
  }

  private void runNow() {
    // A stop requested before the first run (a signal during start-up) starts none.
    if (phase != Phase.WAITING || engine.stopRequested()) {
      return;
    }
    phase = Phase.RUNNING;
    current = engine.run(sources, WorkerMode.DAEMON, observers);
    // The engine completes the run on its own context: the schedule carries on on its own.
    current.onComplete(ar -> context.runOnContext(v -> afterRun(ar)));
  }

  private void afterRun(AsyncResult<RunReport> run) {
    if (run.succeeded()) {
      LOG.atInfo()
          .addKeyValue("run_id", run.result().runId())
          .log("Run {} {}", run.result().runId(), run.result().status());
    } else {
      LOG.error("Run could not happen; next try in {} s", interval.toSeconds(), run.cause());
    }
    if (phase == Phase.RUNNING && !engine.stopRequested()) {
      phase = Phase.WAITING;
      timer = vertx.setTimer(interval.toMillis(), id -> runNow());
    }
  }

  /**
   * Starts no more runs; the run under way (asked to stop) finishes the pages in flight, within the
   * shutdown grace.
   */
  @Override
  public Future<?> stop() {
    phase = Phase.STOPPING;
    engine.requestStop();
    vertx.cancelTimer(timer);
    return current
        .otherwiseEmpty()
        .timeout(grace.toMillis(), TimeUnit.MILLISECONDS)
        .onFailure(
            err -> LOG.warn("Pages still in flight after {} s; exiting anyway", grace.toSeconds()))
        .otherwiseEmpty()
        .onComplete(ar -> phase = Phase.STOPPED);
  }
}
