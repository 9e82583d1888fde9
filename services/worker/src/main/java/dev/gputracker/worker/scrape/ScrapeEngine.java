package dev.gputracker.worker.scrape;

import dev.gputracker.shared.db.AdvisoryLocks;
import dev.gputracker.shared.rates.ExchangeRates;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.config.WorkerMode;
import dev.gputracker.worker.normalize.TitleNormalizer;
import dev.gputracker.worker.persist.HealthStore;
import dev.gputracker.worker.persist.ListingStore;
import dev.gputracker.worker.persist.PriceBands;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.SourceStore;
import dev.gputracker.worker.rates.RatesUpdater;
import dev.gputracker.worker.scrape.fetch.Fetcher;
import dev.gputracker.worker.scrape.model.SourceReport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one scrape over every configured source: fetch → parse → normalise → store, each source on
 * its own and all sources at once (politeness is per host, in the {@link Fetcher}). A failing
 * source is recorded and never stops the others; a source another worker process is scraping is
 * skipped, not scraped twice.
 */
public final class ScrapeEngine {
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeEngine.class);

  private final Vertx vertx;
  private final Fetcher fetcher;
  private final AdapterRegistry adapters;
  private final TitleNormalizer normalizer;
  private final SourceStore sourceStore;
  private final ListingStore listingStore;
  private final RunStore runStore;
  private final HealthStore healthStore;
  private final AdvisoryLocks locks;
  private final Supplier<Future<PriceBands>> priceBands;
  private final RatesUpdater rates;
  private final String workerId;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Context context;

  public ScrapeEngine(
      Vertx vertx,
      Fetcher fetcher,
      AdapterRegistry adapters,
      TitleNormalizer normalizer,
      SourceStore sourceStore,
      ListingStore listingStore,
      RunStore runStore,
      HealthStore healthStore,
      AdvisoryLocks locks,
      Supplier<Future<PriceBands>> priceBands,
      RatesUpdater rates,
      String workerId) {
    this.vertx = vertx;
    this.fetcher = fetcher;
    this.adapters = adapters;
    this.normalizer = normalizer;
    this.sourceStore = sourceStore;
    this.listingStore = listingStore;
    this.runStore = runStore;
    this.healthStore = healthStore;
    this.locks = locks;
    this.priceBands = priceBands;
    this.rates = rates;
    this.workerId = workerId;
    this.context = vertx.getOrCreateContext();
  }

  /**
   * Asks a run in progress to stop: each source finishes the page in flight (fetch, parse and its
   * transaction), then stops, and the run is recorded as interrupted. Safe from any thread.
   */
  public void requestStop() {
    if (stopping.compareAndSet(false, true)) {
      LOG.info("Stop requested: finishing the pages in flight");
    }
  }

  public boolean stopRequested() {
    return stopping.get();
  }

  /**
   * Scrapes every source once. The returned future fails only when the run could not happen at all
   * (the database is away); a source's failure is part of the report.
   */
  public Future<RunReport> run(
      List<SourceConfig> sources, WorkerMode mode, ProgressListener progress) {
    for (SourceConfig s : sources) {
      if (!RatesUpdater.isRatesSource(s)) {
        adapters.get(s.adapter()); // unknown adapters fail before anything is written
      }
    }
    // Everything of a run happens on one event-loop context, so a source's counters need no locks;
    // the CPU-heavy parsing goes to worker threads and the database work is asynchronous.
    Promise<RunReport> done = Promise.promise();
    context.runOnContext(v -> runOnContext(sources, mode, progress).onComplete(done));
    return done.future();
  }

  /** What a run needs before its row exists. */
  private record Setup(
      List<SourceConfig> sources,
      Map<String, Integer> sourceIds,
      PriceBands bands,
      ProgressListener progress) {}

  /** A run once its row exists. */
  private record Run(long id, Setup setup) {
    ProgressListener progress() {
      return setup.progress();
    }
  }

  /** A run whose sources are all done: their reports (the rates sources' first). */
  private record Scraped(Run run, List<SourceReport> reports, long startedNanos) {}

  /**
   * Syncs the sources, loads the price bands, starts the run, updates the rates, scrapes the
   * listing sources and records how the run ended: one step after another.
   */
  private Future<RunReport> runOnContext(
      List<SourceConfig> sources, WorkerMode mode, ProgressListener progress) {
    return sourceStore
        .sync(sources)
        .compose(ids -> priceBands.get().map(bands -> new Setup(sources, ids, bands, progress)))
        .compose(setup -> runStore.startRun(workerId, mode.dbValue()).map(id -> new Run(id, setup)))
        .compose(this::updateRatesThenScrape)
        .compose(this::finishRun);
  }

  private Future<Scraped> updateRatesThenScrape(Run run) {
    List<SourceConfig> rateSources =
        run.setup().sources().stream().filter(RatesUpdater::isRatesSource).toList();
    return rates
        .update(run.id(), run.setup().sourceIds(), rateSources)
        .compose(fx -> scrape(run, fx));
  }

  /** Scrapes every listing source at once, with the rates just updated. */
  private Future<Scraped> scrape(Run run, RatesUpdater.Result fx) {
    long startedNanos = System.nanoTime();
    LOG.atInfo()
        .addKeyValue("run_id", run.id())
        .log("Run {} started: {} sources", run.id(), run.setup().sources().size());
    fx.reports().forEach(run.progress()::onSourceDone);
    fx.verdicts().forEach(run.progress()::onHealth);
    List<Future<SourceReport>> scrapes = new ArrayList<>();
    for (SourceConfig source : run.setup().sources()) {
      if (!RatesUpdater.isRatesSource(source)) {
        scrapes.add(scrapeSource(run, source, fx.rates()));
      }
    }
    // Each scrape recovers its own failure: the join only waits for all of them.
    return Future.join(scrapes)
        .transform(
            ignored ->
                Future.succeededFuture(new Scraped(run, reports(fx, scrapes), startedNanos)));
  }

  private static List<SourceReport> reports(
      RatesUpdater.Result fx, List<Future<SourceReport>> scrapes) {
    List<SourceReport> reports = new ArrayList<>(fx.reports());
    scrapes.forEach(f -> reports.add(f.result()));
    return reports;
  }

  private Future<RunReport> finishRun(Scraped scraped) {
    Run run = scraped.run();
    String status = runStatus(scraped.reports());
    return runStore
        .finishRun(run.id(), status)
        .compose(v -> refreshSummaries(run.id()))
        .map(
            v -> {
              RunReport report = new RunReport(run.id(), status, scraped.reports());
              run.progress()
                  .onRunDone(report, Duration.ofNanos(System.nanoTime() - scraped.startedNanos()));
              return report;
            });
  }

  /**
   * The stored market figures and the daily price series summary of the models the run wrote: a
   * failure is logged, not the run's (the API computes what the summaries lack itself).
   */
  private Future<Void> refreshSummaries(long runId) {
    return refresh(runId, "market figures", listingStore::refreshMarket)
        .compose(v -> refresh(runId, "daily price summary", listingStore::refreshPriceDays));
  }

  private Future<Void> refresh(long runId, String what, Supplier<Future<Integer>> refresh) {
    long start = System.nanoTime();
    return refresh
        .get()
        .map(
            models -> {
              LOG.atInfo()
                  .addKeyValue("run_id", runId)
                  .log(
                      "{} of {} models refreshed in {} ms",
                      what,
                      models,
                      (System.nanoTime() - start) / 1_000_000);
              return (Void) null;
            })
        .recover(
            err -> {
              LOG.atWarn()
                  .addKeyValue("run_id", runId)
                  .log("{} not refreshed: {}", what, err.getMessage());
              return Future.succeededFuture();
            });
  }

  private Future<SourceReport> scrapeSource(Run run, SourceConfig source, ExchangeRates fx) {
    SourceScrape scrape =
        new SourceScrape(
            vertx,
            fetcher,
            adapters.get(source.adapter()),
            normalizer,
            listingStore,
            runStore,
            healthStore,
            locks,
            source,
            run.setup().sourceIds().get(source.name()),
            run.id(),
            stopping,
            run.progress(),
            run.setup().bands(),
            fx);
    return scrape
        .run()
        .recover(
            err -> {
              // SourceScrape records its own failures; this is the last line of defence (e.g. the
              // database went away).
              LOG.atError()
                  .addKeyValue("source", source.name())
                  .setCause(err)
                  .log("Source {} failed outside its page loop", source.name());
              return Future.succeededFuture(
                  new SourceReport(
                      source.name(),
                      "failed",
                      0,
                      0,
                      0,
                      0,
                      0,
                      0,
                      1,
                      String.valueOf(err.getMessage()),
                      Duration.ZERO));
            })
        .onSuccess(run.progress()::onSourceDone);
  }

  /**
   * A run is interrupted when stopped; partial or failed when some or all of its attempted sources
   * failed; suspect when none failed but some yielded suspiciously; skipped when no source was
   * attempted at all; else succeeded.
   */
  private String runStatus(List<SourceReport> reports) {
    if (stopping.get()) {
      return "interrupted";
    }
    long failed = reports.stream().filter(SourceReport::failed).count();
    long attempted = reports.stream().filter(r -> !r.skipped()).count();
    if (attempted == 0) {
      return "skipped";
    }
    if (failed > 0) {
      return failed == attempted ? "failed" : "partial";
    }
    return reports.stream().anyMatch(SourceReport::suspect) ? "suspect" : "succeeded";
  }
}
