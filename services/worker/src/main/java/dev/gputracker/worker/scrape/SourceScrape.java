package dev.gputracker.worker.scrape;

import dev.gputracker.shared.db.AdvisoryLocks;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.rates.ExchangeRates;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.normalize.Normalization;
import dev.gputracker.worker.normalize.RejectReason;
import dev.gputracker.worker.normalize.TitleNormalizer;
import dev.gputracker.worker.persist.HealthStore;
import dev.gputracker.worker.persist.ListingStore;
import dev.gputracker.worker.persist.ListingStore.PageYield;
import dev.gputracker.worker.persist.PriceBands;
import dev.gputracker.worker.persist.RejectedListing;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.SourceOutcome;
import dev.gputracker.worker.persist.StoredListing;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.fetch.Fetcher;
import dev.gputracker.worker.scrape.health.HealthVerdict;
import dev.gputracker.worker.scrape.health.YieldCheck;
import dev.gputracker.worker.scrape.health.YieldFigures;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import dev.gputracker.worker.scrape.model.SourceReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source in one run: takes the source's lock, walks its pages (each start URL, then its next
 * links, up to the page limit), and records the outcome. Pages are fetched one after another per
 * source; each page's listings are written in one statement, so an interrupted run leaves whole
 * pages or nothing.
 */
final class SourceScrape {
  private static final Logger LOG = LoggerFactory.getLogger(SourceScrape.class);

  private final Vertx vertx;
  private final Fetcher fetcher;
  private final SourceAdapter adapter;
  private final TitleNormalizer normalizer;
  private final ListingStore listings;
  private final RunStore runs;
  private final HealthStore health;
  private final AdvisoryLocks locks;
  private final SourceConfig source;
  private final int sourceId;
  private final long runId;
  private final AtomicBoolean stopping;
  private final ProgressListener progress;
  private final PriceBands bands;
  private final ExchangeRates fx;
  private final Map<String, String> offers = new ConcurrentHashMap<>();

  private static final int MAX_PENDING_WRITES = 2;

  private final Set<URI> visited = new HashSet<>();
  private final List<Future<Void>> writes = new ArrayList<>();
  private long startedNanos;
  private int pages;
  private int seen;
  private int inserted;
  private int updated;
  private int rejected;
  private int errors;
  private int read;
  private int priced;
  private int normalised;
  private int depth;
  private int lastPageRead;
  private String firstError;
  private boolean interrupted;
  private volatile boolean lockLost;

  SourceScrape(
      Vertx vertx,
      Fetcher fetcher,
      SourceAdapter adapter,
      TitleNormalizer normalizer,
      ListingStore listings,
      RunStore runs,
      HealthStore health,
      AdvisoryLocks locks,
      SourceConfig source,
      int sourceId,
      long runId,
      AtomicBoolean stopping,
      ProgressListener progress,
      PriceBands bands,
      ExchangeRates fx) {
    this.vertx = vertx;
    this.fetcher = fetcher;
    this.adapter = adapter;
    this.normalizer = normalizer;
    this.listings = listings;
    this.runs = runs;
    this.health = health;
    this.locks = locks;
    this.source = source;
    this.sourceId = sourceId;
    this.runId = runId;
    this.stopping = stopping;
    this.progress = progress;
    this.bands = bands;
    this.fx = fx;
  }

  Future<SourceReport> run() {
    startedNanos = System.nanoTime();
    if (!source.enabled()) {
      return skip("disabled in the sources configuration");
    }
    return locks
        .tryAcquire(AdvisoryLocks.Key.source(sourceId))
        .compose(
            lease -> {
              if (lease.isEmpty()) {
                return skip("another worker is scraping this source");
              }
              // Without its lock another worker may start this source: stop after the page in
              // flight, and skip the
              // removal pass, which only a run that saw every page may do.
              lease
                  .get()
                  .onLost(
                      () -> {
                        lockLost = true;
                        LOG.warn(
                            "[{}] lost the source lock (its database connection ended); stopping this source",
                            source.name());
                      });
              return runs.recoverAbandoned(sourceId)
                  .compose(v -> runs.startSource(runId, sourceId))
                  .compose(v -> walkAll(adapter.startUrls(source).iterator()))
                  .compose(v -> Future.join(writes).mapEmpty())
                  .compose(v -> finish())
                  .eventually(() -> lease.get().release());
            });
  }

  /** Stop requested for the whole run, or this source's lock is gone. */
  private boolean halted() {
    return stopping.get() || lockLost;
  }

  private Future<SourceReport> skip(String why) {
    SourceReport report =
        new SourceReport(source.name(), "skipped", 0, 0, 0, 0, 0, 0, 0, why, Duration.ZERO);
    return runs.finishSource(runId, sourceId, outcome(report)).map(v -> report);
  }

  private Future<Void> walkAll(Iterator<URI> starts) {
    if (!starts.hasNext() || halted()) {
      interrupted |= halted() && starts.hasNext();
      return Future.succeededFuture();
    }
    return walk(starts.next(), 1).compose(v -> walkAll(starts));
  }

  /**
   * Fetches {@code url} as page {@code number} of one pagination chain, then follows its next link.
   * The page's write runs while the next page is fetched and parsed (at most {@link
   * #MAX_PENDING_WRITES} behind), so the network, the parser and the database work at the same
   * time.
   */
  private Future<Void> walk(URI url, int number) {
    if (halted()) {
      interrupted = true;
      return Future.succeededFuture();
    }
    if (number > source.pageLimit() || !visited.add(url)) {
      return Future.succeededFuture();
    }
    return fetcher
        .fetch(url, source.fetch())
        .compose(page -> vertx.executeBlocking(() -> parse(page, number), false))
        .transform(
            ar -> {
              if (ar.failed()) {
                recordError(url, ar.cause());
                return Future.succeededFuture(Optional.<URI>empty());
              }
              writes.add(
                  store(ar.result())
                      .recover(
                          err -> {
                            recordError(url, err);
                            return Future.succeededFuture();
                          }));
              return backPressure().map(v -> ar.result().next());
            })
        .compose(
            next -> next.isPresent() ? walk(next.get(), number + 1) : Future.succeededFuture());
  }

  /** Waits for the oldest write while too many are in flight. */
  private Future<Void> backPressure() {
    writes.removeIf(Future::isComplete);
    return writes.size() < MAX_PENDING_WRITES ? Future.succeededFuture() : writes.get(0).mapEmpty();
  }

  /**
   * Parsing and normalising run on a worker thread: big pages take milliseconds of CPU. What is not
   * accepted is kept aside with its reason: not a GPU, an unknown model, a suspicious offer, a
   * price far outside the model's band, or the same offer already listed under another id in this
   * run.
   */
  private ParsedPage parse(FetchedPage page, int number) throws PageParseException {
    PageResult result = PageReader.read(adapter, page, source);
    List<StoredListing> kept = new ArrayList<>(result.listings().size());
    List<RejectedListing> rejected = new ArrayList<>();
    for (ScrapedListing l : result.listings()) {
      Normalization n = normalizer.normalize(l.title());
      BigDecimal usd = usd(l);
      if (!n.accepted()) {
        rejected.add(new RejectedListing(l, n.reason(), n.detail(), null, usd));
        continue;
      }
      Optional<String> outlier = bands.outlier(n.slug(), adapter.kind(source), usd, l.gpuCount());
      if (outlier.isPresent()) {
        rejected.add(
            new RejectedListing(l, RejectReason.PRICE_OUTLIER, outlier.get(), n.slug(), usd));
        continue;
      }
      String firstId = offers.putIfAbsent(offerKey(l), l.externalId());
      if (firstId != null && !firstId.equals(l.externalId())) {
        rejected.add(
            new RejectedListing(
                l, RejectReason.DUPLICATE, "same offer as " + firstId, n.slug(), usd));
        continue;
      }
      kept.add(new StoredListing(TitleFacts.apply(l, n, adapter.kind(source)), n.slug(), usd));
    }
    return new ParsedPage(kept, rejected, result.next(), PageYield.of(kept, rejected, number));
  }

  /** Two ids with the same title, price and seller are one offer listed twice. */
  private static String offerKey(ScrapedListing l) {
    return l.title().trim().toLowerCase(Locale.ROOT)
        + '|'
        + (l.price() == null ? "" : l.price().stripTrailingZeros().toPlainString())
        + '|'
        + l.currency()
        + '|'
        + l.seller();
  }

  private Future<Void> store(ParsedPage page) {
    ListingKind kind = adapter.kind(source);
    return listings
        .writePage(sourceId, runId, kind, page.listings(), page.rejected(), page.yield())
        .map(
            w -> {
              pages++;
              PageYield y = page.yield();
              read += y.read();
              priced += y.priced();
              normalised += y.normalised();
              if (y.depth() >= depth) {
                depth = y.depth();
                lastPageRead = y.read();
              }
              seen += w.seen();
              inserted += w.inserted();
              updated += w.updated();
              rejected += w.rejected();
              progress.onPage(
                  source.name(), pages, w.seen(), w.inserted(), w.updated(), w.rejected());
              return null;
            });
  }

  private void recordError(URI url, Throwable err) {
    errors++;
    String message = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    if (firstError == null) {
      firstError = message;
    }
    LOG.atWarn()
        .addKeyValue("run_id", runId)
        .addKeyValue("source", source.name())
        .log("[{}] page {} failed: {}", source.name(), url, message);
    progress.onPageError(source.name(), url.toString(), message);
  }

  /**
   * A source whose every page was read is complete, and its yield is judged against its recent runs
   * before anything is removed: a trusted run removes what it no longer lists, a suspect one
   * removes nothing. The source's health is recorded either way.
   */
  private Future<SourceReport> finish() {
    boolean complete = errors == 0 && !interrupted && !halted();
    YieldFigures figures = new YieldFigures(read, priced, normalised, depth, lastPageRead);
    Future<Optional<String>> suspicion =
        complete
            ? health
                .baseline(sourceId, runId, source.health().baselineRuns())
                .map(b -> YieldCheck.judge(figures, b, source.health(), source.pageLimit()))
            : Future.succeededFuture(Optional.empty());
    return suspicion.compose(
        suspect -> {
          Future<Integer> removed =
              complete && suspect.isEmpty()
                  ? listings.markRemoved(sourceId, runId)
                  : Future.succeededFuture(0);
          return removed.compose(
              count -> {
                String status =
                    interrupted || halted()
                        ? "interrupted"
                        : errors > 0 ? "failed" : suspect.isPresent() ? "suspect" : "succeeded";
                if (suspect.isPresent()) {
                  LOG.atWarn()
                      .addKeyValue("run_id", runId)
                      .addKeyValue("source", source.name())
                      .log("[{}] suspect, nothing removed: {}", source.name(), suspect.get());
                }
                SourceReport report =
                    new SourceReport(
                        source.name(),
                        status,
                        pages,
                        seen,
                        inserted,
                        updated,
                        count,
                        rejected,
                        errors,
                        suspect.orElse(firstError),
                        Duration.ofNanos(System.nanoTime() - startedNanos));
                return runs.finishSource(runId, sourceId, outcome(report, suspect.orElse(null)))
                    .compose(v -> judged(report, figures))
                    .map(v -> report);
              });
        });
  }

  /**
   * Records the source's health after a run that ended on its own (not interrupted), and tells the
   * observers.
   */
  private Future<Void> judged(SourceReport report, YieldFigures figures) {
    String verdict =
        switch (report.status()) {
          case "succeeded" -> "ok";
          case "suspect" -> "suspect";
          case "failed" -> "failing";
          default -> null;
        };
    if (verdict == null) {
      return Future.succeededFuture();
    }
    String reason = verdict.equals("ok") ? null : report.errorMessage();
    return health
        .record(sourceId, runId, verdict, reason)
        .map(
            previous -> {
              progress.onHealth(
                  new HealthVerdict(
                      source.name(), runId, verdict, previous.orElse(null), reason, figures));
              return null;
            });
  }

  private static SourceOutcome outcome(SourceReport r) {
    return outcome(r, null);
  }

  private static SourceOutcome outcome(SourceReport r, String healthReason) {
    return new SourceOutcome(
        r.status(),
        r.pages(),
        r.seen(),
        r.inserted(),
        r.updated(),
        r.removed(),
        r.rejected(),
        r.errors(),
        r.errorMessage(),
        r.duration().toMillis(),
        healthReason);
  }

  /**
   * The price in US dollars at this run's rates; null without a price or a rate for its currency.
   */
  private BigDecimal usd(ScrapedListing l) {
    return fx.toUsd(l.price(), l.currency()).orElse(null);
  }

  private record ParsedPage(
      List<StoredListing> listings,
      List<RejectedListing> rejected,
      Optional<URI> next,
      PageYield yield) {}
}
