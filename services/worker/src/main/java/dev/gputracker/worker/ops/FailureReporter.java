package dev.gputracker.worker.ops;

import dev.gputracker.shared.observability.ErrorReporting;
import dev.gputracker.worker.scrape.ProgressListener;
import dev.gputracker.worker.scrape.health.HealthVerdict;
import java.util.Map;

/**
 * Reports to Sentry (when it is on) each change of a source's health, once, not every run: a source
 * that turns suspect or failing is one event tagged with the source and its new health (so alerts
 * can group by it), and so is its recovery. A source that stays failing run after run says nothing
 * new.
 */
public final class FailureReporter implements ProgressListener {
  @Override
  public void onHealth(HealthVerdict v) {
    if (!v.changed()) {
      return;
    }
    String text =
        "source "
            + v.source()
            + " is "
            + v.health()
            + " (was "
            + v.previous()
            + ")"
            + (v.reason() == null ? "" : ": " + v.reason());
    ErrorReporting.failure(
        text,
        Map.of(
            "source",
            v.source(),
            "health",
            v.health(),
            "previous",
            v.previous(),
            "run_id",
            Long.toString(v.runId())));
  }
}
