package dev.gputracker.worker.scrape;

import dev.gputracker.worker.scrape.health.HealthVerdict;
import dev.gputracker.worker.scrape.model.SourceReport;
import java.time.Duration;

/**
 * Follows a run as it goes: oneshot mode prints a line per page, the daemon logs. Called on an
 * event loop.
 */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {};

  default void onPage(
      String source, int page, int listings, int inserted, int updated, int rejected) {}

  default void onPageError(String source, String url, String error) {}

  default void onSourceDone(SourceReport report) {}

  /** A source's health was judged after its run (changed or not). */
  default void onHealth(HealthVerdict verdict) {}

  /** A whole run ended (every source done), after {@code took}. */
  default void onRunDone(RunReport report, Duration took) {}

  /** Both listeners, {@code this} first. */
  default ProgressListener and(ProgressListener other) {
    ProgressListener self = this;
    return new ProgressListener() {
      @Override
      public void onPage(
          String source, int page, int listings, int inserted, int updated, int rejected) {
        self.onPage(source, page, listings, inserted, updated, rejected);
        other.onPage(source, page, listings, inserted, updated, rejected);
      }

      @Override
      public void onPageError(String source, String url, String error) {
        self.onPageError(source, url, error);
        other.onPageError(source, url, error);
      }

      @Override
      public void onRunDone(RunReport report, Duration took) {
        ProgressListener.this.onRunDone(report, took);
        other.onRunDone(report, took);
      }

      @Override
      public void onSourceDone(SourceReport report) {
        self.onSourceDone(report);
        other.onSourceDone(report);
      }

      @Override
      public void onHealth(HealthVerdict verdict) {
        self.onHealth(verdict);
        other.onHealth(verdict);
      }
    };
  }
}
