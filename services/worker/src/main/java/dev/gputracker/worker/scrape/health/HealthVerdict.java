package dev.gputracker.worker.scrape.health;

/**
 * A source's health after a run, as recorded in {@code sources.health}.
 *
 * @param health {@code ok}, {@code suspect} or {@code failing}
 * @param previous the health before this run when this run changed it; null when unchanged
 * @param reason why it is suspect or failing; null when ok
 * @param figures what the run yielded
 */
public record HealthVerdict(
    String source,
    long runId,
    String health,
    String previous,
    String reason,
    YieldFigures figures) {

  public boolean changed() {
    return previous != null;
  }
}
