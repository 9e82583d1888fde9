package dev.gputracker.worker.ops;

import dev.gputracker.shared.jobs.JobVocabulary;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.retention.PruneListener;
import dev.gputracker.worker.scrape.ProgressListener;
import dev.gputracker.worker.scrape.RunReport;
import dev.gputracker.worker.scrape.health.HealthVerdict;
import dev.gputracker.worker.scrape.model.SourceReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The worker's own Prometheus figures, fed by the scrape engine's progress callbacks: pages,
 * listings new/updated/ removed, rejected and errors per source, and source durations by outcome.
 * Vert.x's own metrics (HTTP client, pool) go to the same registry.
 */
public final class WorkerMetrics implements ProgressListener, PruneListener {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void onPage(
      String source, int page, int listings, int inserted, int updated, int rejected) {
    counter("gpu_tracker_pages_fetched", "Pages fetched, parsed and stored", source).increment();
    listings(source, "seen").increment(listings);
    listings(source, "new").increment(inserted);
    listings(source, "updated").increment(updated);
    listings(source, "rejected").increment(rejected);
  }

  /**
   * Rows deleted by retention ({@code gpu_tracker_pruned_rows_total{table}}: rejected_listings,
   * outbox).
   */
  @Override
  public void onPruned(String table, long rows) {
    Counter.builder("gpu_tracker_pruned_rows")
        .description(
            "Rows deleted by retention (REJECTED_RETENTION_DAYS," + " OUTBOX_RETENTION_HOURS)")
        .tag("table", table)
        .register(registry)
        .increment(rows);
  }

  @Override
  public void onPageError(String source, String url, String error) {
    counter("gpu_tracker_page_errors", "Pages that failed (fetch, parse or store)", source)
        .increment();
  }

  @Override
  public void onSourceDone(SourceReport report) {
    listings(report.source(), "removed").increment(report.removed());
    Timer.builder("gpu_tracker_source_duration")
        .description("Time to scrape one source in one run")
        .tag("source", report.source())
        .tag("status", report.status())
        .register(registry)
        .record(report.duration());
  }

  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

  /**
   * Health per source ({@code gpu_tracker_source_health{source,health}}: 1 for the current health,
   * 0 for the others) and the yield of its latest judged run ({@code
   * gpu_tracker_source_yield{source,figure}}: listings read, priced, matched to a model, pagination
   * depth).
   */
  @Override
  public void onHealth(HealthVerdict v) {
    for (String h : List.of("ok", "suspect", "failing")) {
      gauge(
              "gpu_tracker_source_health",
              "A source's health after its latest run (1 = current)",
              v.source(),
              "health",
              h)
          .set(h.equals(v.health()) ? 1 : 0);
    }
    var f = v.figures();
    gauge(
            "gpu_tracker_source_yield",
            "What a source's latest judged run yielded",
            v.source(),
            "figure",
            "read")
        .set(f.read());
    gauge(
            "gpu_tracker_source_yield",
            "What a source's latest judged run yielded",
            v.source(),
            "figure",
            "priced")
        .set(f.priced());
    gauge(
            "gpu_tracker_source_yield",
            "What a source's latest judged run yielded",
            v.source(),
            "figure",
            "normalised")
        .set(f.normalised());
    gauge(
            "gpu_tracker_source_yield",
            "What a source's latest judged run yielded",
            v.source(),
            "figure",
            "pagination_depth")
        .set(f.depth());
  }

  private AtomicLong gauge(String name, String help, String source, String tag, String value) {
    return gauges.computeIfAbsent(
        name + '|' + source + '|' + value,
        k -> {
          AtomicLong holder = new AtomicLong();
          Gauge.builder(name, holder, AtomicLong::get)
              .description(help)
              .tag("source", source)
              .tag(tag, value)
              .register(registry);
          return holder;
        });
  }

  @Override
  public void onRunDone(RunReport report, Duration took) {
    Timer.builder("gpu_tracker_run_duration")
        .description("Time of a whole scrape run, every source")
        .tag("status", report.status())
        .register(registry)
        .record(took);
  }

  private final Map<String, AtomicLong> jobStates = new ConcurrentHashMap<>();

  /**
   * Jobs by state and the queue's depth (queued jobs), from the queue table: read now and every 15
   * s. Returns the first read, for callers that want the figures to be there before they look.
   */
  public Future<Void> watchJobs(Vertx vertx, Pool pool) {
    for (String state : JobVocabulary.STATES) {
      AtomicLong count = jobStates.computeIfAbsent(state, k -> new AtomicLong());
      Gauge.builder("gpu_tracker_jobs", count, AtomicLong::get)
          .description("Jobs in the queue table by state")
          .tag("state", state)
          .register(registry);
    }
    Gauge.builder("gpu_tracker_job_queue_depth", jobStates.get("queued"), AtomicLong::get)
        .description("Jobs waiting to run")
        .register(registry);
    vertx.setPeriodic(15_000, id -> readJobs(pool));
    return readJobs(pool);
  }

  private Future<Void> readJobs(Pool pool) {
    return JobQueue.countByState(pool)
        .map(
            counts -> {
              jobStates.forEach((state, value) -> value.set(counts.getOrDefault(state, 0L)));
              return (Void) null;
            })
        .recover(err -> Future.succeededFuture());
  }

  /** The outbox relay's lag: events not yet published to Kafka, and the age of the oldest. */
  public void outboxLag(LongSupplier events, DoubleSupplier seconds) {
    Gauge.builder("gpu_tracker_outbox_lag_events", events, s -> s.getAsLong())
        .description("Events in the outbox not yet published to Kafka")
        .register(registry);
    Gauge.builder("gpu_tracker_outbox_lag_seconds", seconds, s -> s.getAsDouble())
        .description("Age of the oldest event not yet published to Kafka")
        .register(registry);
  }

  private Counter counter(String name, String help, String source) {
    return Counter.builder(name).description(help).tag("source", source).register(registry);
  }

  private Counter listings(String source, String change) {
    return Counter.builder("gpu_tracker_listings")
        .description("Listings by what happened to them")
        .tag("source", source)
        .tag("change", change)
        .register(registry);
  }
}
