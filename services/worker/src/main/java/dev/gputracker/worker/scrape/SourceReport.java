package dev.gputracker.worker.scrape;

import java.time.Duration;

/**
 * How one source fared in one run.
 *
 * @param status succeeded, failed, interrupted or skipped (disabled, or another worker holds it)
 * @param rejected listings the normaliser did not accept as a GPU of the catalog
 * @param errorMessage the first error, for the run table; null when none
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
}
