package dev.gputracker.worker.scrape.model;

import java.time.Duration;

/**
 * How one source fared in one run.
 *
 * @param status succeeded, suspect (complete, but its yield collapsed: nothing removed), failed,
 *     interrupted, stale (a rates source whose older rates stand in) or skipped (disabled, or
 *     another worker holds it)
 * @param rejected listings the normaliser did not accept as a GPU of the catalog
 * @param errorMessage the first error, or why the run is suspect, for the run table; null when none
 */
public record SourceReport(
    String source,
    String status,
    int pages,
    int seen,
    int inserted,
    int updated,
    int removed,
    int rejected,
    int errors,
    String errorMessage,
    Duration duration) {

  public boolean failed() {
    return status.equals("failed");
  }

  public boolean suspect() {
    return status.equals("suspect");
  }

  public boolean skipped() {
    return status.equals("skipped");
  }
}
