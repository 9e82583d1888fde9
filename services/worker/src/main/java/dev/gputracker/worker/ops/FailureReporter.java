package dev.gputracker.worker.ops;

import dev.gputracker.shared.observability.ErrorReporting;
import dev.gputracker.worker.scrape.ProgressListener;
import dev.gputracker.worker.scrape.SourceReport;
import java.util.Map;

/** Reports each failed source to Sentry (when it is on), tagged with the source so alerts can group by it. */
public final class FailureReporter implements ProgressListener {
  @Override
  public void onSourceDone(SourceReport report) {
    if (report.failed()) {
      ErrorReporting.failure("source " + report.source() + " failed: " + report.errorMessage(),
          Map.of("source", report.source(), "pages", Integer.toString(report.pages()),
              "errors", Integer.toString(report.errors())));
    }
  }
}
