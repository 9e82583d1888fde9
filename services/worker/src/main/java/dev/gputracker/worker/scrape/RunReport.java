package dev.gputracker.worker.scrape;

import dev.gputracker.worker.scrape.model.SourceReport;
import java.util.List;

/** The outcome of one scrape run over every configured source. */
public record RunReport(long runId, String status, List<SourceReport> sources) {
  public RunReport {
    sources = List.copyOf(sources);
  }

  /** Whether any source failed or is suspect: oneshot mode then exits with 2. */
  public boolean anyFailed() {
    return sources.stream().anyMatch(s -> s.failed() || s.suspect());
  }
}
