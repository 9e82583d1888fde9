package dev.gputracker.worker.rates;

import dev.gputracker.shared.rates.EcbRatesParser;
import dev.gputracker.shared.rates.ExchangeRates;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.persist.HealthStore;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.SourceOutcome;
import dev.gputracker.worker.scrape.fetch.Fetcher;
import dev.gputracker.worker.scrape.health.HealthVerdict;
import dev.gputracker.worker.scrape.health.YieldFigures;
import dev.gputracker.worker.scrape.model.SourceReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ecb-rates} source kind: fetches the ECB's euro reference rates (through the same
 * polite fetcher as every page), stores them by day, and hands the run the latest rate of every
 * currency, configured fallbacks filling the gaps. A failed rates source is recorded like any
 * source and the run goes on with the rates it has.
 */
public final class RatesUpdater {
  /** The adapter name that marks a rates source in the sources file. */
  public static final String ADAPTER = "ecb-rates";

  private static final Logger LOG = LoggerFactory.getLogger(RatesUpdater.class);

  private final Vertx vertx;
  private final Fetcher fetcher;
  private final RatesStore store;
  private final RunStore runs;
  private final HealthStore health;
  private final ExchangeRates fallback;

  public RatesUpdater(
      Vertx vertx,
      Fetcher fetcher,
      RatesStore store,
      RunStore runs,
      HealthStore health,
      ExchangeRates fallback) {
    this.vertx = vertx;
    this.fetcher = fetcher;
    this.store = store;
    this.runs = runs;
    this.health = health;
    this.fallback = fallback;
  }

  public static boolean isRatesSource(SourceConfig source) {
    return ADAPTER.equals(source.adapter());
  }

  /** Updates from every enabled rates source, then returns the rates this run converts with. */
  public Future<Result> update(long runId, Map<String, Integer> ids, List<SourceConfig> sources) {
    List<Future<SourceReport>> updates = new ArrayList<>();
    List<HealthVerdict> verdicts = new CopyOnWriteArrayList<>();
    for (SourceConfig source : sources) {
      int sourceId = ids.get(source.name());
      updates.add(
          updateOne(runId, sourceId, source)
              .compose(
                  report ->
                      judged(runId, sourceId, report)
                          .map(
                              v -> {
                                v.ifPresent(verdicts::add);
                                return report;
                              })));
    }
    return Future.join(updates)
        .transform(
            ignored -> {
              List<SourceReport> reports = new ArrayList<>();
              updates.forEach(f -> reports.add(f.result()));
              return store
                  .latest(fallback)
                  .recover(
                      err -> {
                        LOG.warn(
                            "Stored exchange rates unreadable, using the fallback rates: {}",
                            err.getMessage());
                        return Future.succeededFuture(fallback);
                      })
                  .map(rates -> new Result(rates, reports, List.copyOf(verdicts)));
            });
  }

  private Future<SourceReport> updateOne(long runId, int sourceId, SourceConfig source) {
    long started = System.nanoTime();
    if (!source.enabled()) {
      SourceReport skipped =
          new SourceReport(
              source.name(),
              "skipped",
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              "disabled in the sources configuration",
              Duration.ZERO);
      return record(runId, sourceId, skipped);
    }
    return fetcher
        .fetch(source.baseUrl(), source.fetch())
        .compose(page -> vertx.executeBlocking(() -> EcbRatesParser.parse(page.body()), false))
        .compose(
            days ->
                store
                    .save(days, source.name())
                    .map(
                        saved -> {
                          LOG.info(
                              "[{}] {} rates for {} stored",
                              source.name(),
                              saved,
                              days.get(0).date());
                          return new SourceReport(
                              source.name(),
                              "succeeded",
                              1,
                              saved,
                              saved,
                              0,
                              0,
                              0,
                              0,
                              null,
                              Duration.ofNanos(System.nanoTime() - started));
                        }))
        .recover(err -> standIn(source, err, started))
        .compose(report -> record(runId, sourceId, report));
  }

  /**
   * The fetch failed, yet the run has rates to convert with: the newest stored ones, else the
   * bundled ones. The source is {@code stale}, not failed, and says which rates stand in and why
   * they were not refreshed.
   */
  private Future<SourceReport> standIn(SourceConfig source, Throwable err, long started) {
    String cause = String.valueOf(err.getMessage());
    return store
        .newest()
        .recover(e -> Future.succeededFuture(Optional.empty()))
        .map(
            newest -> {
              String using =
                  newest
                      .map(d -> "the stored ECB rates of " + d)
                      .orElse("the bundled ECB rates of " + fallback.date());
              String message = "rates not refreshed (" + cause + "); converting with " + using;
              LOG.warn("[{}] {}", source.name(), message);
              return new SourceReport(
                  source.name(),
                  "stale",
                  0,
                  0,
                  0,
                  0,
                  0,
                  0,
                  1,
                  message,
                  Duration.ofNanos(System.nanoTime() - started));
            });
  }

  /**
   * A rates source is healthy when it refreshed its rates and failing while older rates stand in:
   * the run goes on, but whoever watches the sources should know the rates are getting old. Skipped
   * sources are not judged.
   */
  private Future<Optional<HealthVerdict>> judged(long runId, int sourceId, SourceReport report) {
    String verdict =
        switch (report.status()) {
          case "succeeded" -> "ok";
          case "stale", "failed" -> "failing";
          default -> null;
        };
    if (verdict == null) {
      return Future.succeededFuture(Optional.empty());
    }
    String reason = verdict.equals("ok") ? null : report.errorMessage();
    return health
        .record(sourceId, runId, verdict, reason)
        .map(
            previous ->
                Optional.of(
                    new HealthVerdict(
                        report.source(),
                        runId,
                        verdict,
                        previous.orElse(null),
                        reason,
                        new YieldFigures(
                            report.seen(),
                            report.seen(),
                            report.seen(),
                            report.pages(),
                            report.seen()))))
        .recover(
            err -> {
              LOG.warn("[{}] health not recorded: {}", report.source(), err.getMessage());
              return Future.succeededFuture(Optional.empty());
            });
  }

  private Future<SourceReport> record(long runId, int sourceId, SourceReport r) {
    return runs.finishSource(
            runId,
            sourceId,
            new SourceOutcome(
                r.status(),
                r.pages(),
                r.seen(),
                r.inserted(),
                r.updated(),
                r.removed(),
                r.rejected(),
                r.errors(),
                r.errorMessage(),
                r.duration().toMillis()))
        .map(v -> r);
  }

  /** The rates a run converts with, how each rates source fared, and its health after the run. */
  public record Result(
      ExchangeRates rates, List<SourceReport> reports, List<HealthVerdict> verdicts) {}
}
