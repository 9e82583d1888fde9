package dev.gputracker.worker.scrape.health;

import java.util.Arrays;
import java.util.List;

/**
 * The source's recent complete runs a new run is compared with: the trusted ({@code succeeded})
 * ones since the last accepted baseline, newest first, at most {@code baseline_runs} of them. Empty
 * for a new source.
 */
public record Baseline(List<YieldFigures> runs) {
  public Baseline {
    runs = List.copyOf(runs);
  }

  public boolean isEmpty() {
    return runs.isEmpty();
  }

  public double medianRead() {
    return median(runs.stream().mapToDouble(YieldFigures::read).toArray());
  }

  public double medianPricedShare() {
    return median(runs.stream().mapToDouble(YieldFigures::pricedShare).toArray());
  }

  public double medianNormalisedShare() {
    return median(runs.stream().mapToDouble(YieldFigures::normalisedShare).toArray());
  }

  public double medianDepth() {
    return median(runs.stream().mapToDouble(YieldFigures::depth).toArray());
  }

  /** Listings per page in the baseline runs: what a full page holds. */
  public double medianPerPage() {
    return median(
        runs.stream()
            .filter(r -> r.depth() > 0)
            .mapToDouble(r -> (double) r.read() / r.depth())
            .toArray());
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
