package dev.gputracker.worker.scrape.health;

import dev.gputracker.worker.config.SourceConfig.HealthSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Judges a complete run's yield against the source's baseline before anything is removed. A layout
 * change, a robot check or a cut pagination looks to the removal pass exactly like a market that
 * emptied; these checks tell them apart, and a run that fails any of them is {@code suspect}: it
 * keeps what it saw and removes nothing.
 *
 * <ul>
 *   <li>a run that read no listings at all (a new source's first run included);
 *   <li>listings read below {@code min_yield_share} (default 50 %) of the median of the recent
 *       complete runs;
 *   <li>the share of listings with a price, or matched to a model, fallen by more than {@code
 *       max_share_drop} (default a half) of its median;
 *   <li>pagination ended on a full page before the depth the recent runs reached, while {@code
 *       page_limit} allows more (a next link that disappeared, not a market that shrank to fewer
 *       pages).
 * </ul>
 *
 * A new source's first run is trusted unless it reads nothing.
 */
public final class YieldCheck {
  /** A last page holding at least this share of a baseline page counts as full. */
  private static final double FULL_PAGE = 0.9;

  private YieldCheck() {}

  /** Empty when the run is trusted; otherwise why it is suspect, in words. */
  public static Optional<String> judge(
      YieldFigures run, Baseline baseline, HealthSettings settings, int pageLimit) {
    if (run.read() == 0) {
      return Optional.of("read no listings at all");
    }
    if (baseline.isEmpty()) {
      return Optional.empty();
    }
    List<String> reasons = new ArrayList<>();
    int n = baseline.runs().size();
    String over = " over the last " + n + " complete run" + (n == 1 ? "" : "s");
    double medianRead = baseline.medianRead();
    if (run.read() < settings.minYieldShare() * medianRead) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "listings read fell to %d from a median of %s%s (below %s)",
              run.read(),
              figure(medianRead),
              over,
              percent(settings.minYieldShare())));
    }
    share("priced", run.pricedShare(), baseline.medianPricedShare(), settings)
        .ifPresent(reasons::add);
    share("matched to a model", run.normalisedShare(), baseline.medianNormalisedShare(), settings)
        .ifPresent(reasons::add);
    double depth = baseline.medianDepth();
    boolean fullLastPage = run.lastPageRead() >= FULL_PAGE * baseline.medianPerPage();
    if (run.depth() < depth && run.depth() < pageLimit && fullLastPage) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "pagination ended after page %d, a full page without a next link,"
                  + " where the recent runs reached page %s (page_limit allows %d)",
              run.depth(),
              figure(depth),
              pageLimit));
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
  }

  private static Optional<String> share(
      String what, double now, double median, HealthSettings settings) {
    if (median > 0 && now < (1 - settings.maxShareDrop()) * median) {
      return Optional.of(
          "the share of listings "
              + what
              + " fell to "
              + percent(now)
              + " from a median of "
              + percent(median));
    }
    return Optional.empty();
  }

  private static String percent(double share) {
    return Math.round(share * 100) + " %";
  }

  private static String figure(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
