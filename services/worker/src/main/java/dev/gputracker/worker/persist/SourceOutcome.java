package dev.gputracker.worker.persist;

/**
 * The figures recorded for one source in one run ({@code scrape_run_sources}).
 *
 * @param healthReason why the run is suspect; null otherwise
 */
public record SourceOutcome(
    String status,
    int pages,
    int seen,
    int inserted,
    int updated,
    int removed,
    int rejected,
    int errors,
    String errorMessage,
    long durationMs,
    String healthReason) {

  public SourceOutcome(
      String status,
      int pages,
      int seen,
      int inserted,
      int updated,
      int removed,
      int rejected,
      int errors,
      String errorMessage,
      long durationMs) {
    this(
        status,
        pages,
        seen,
        inserted,
        updated,
        removed,
        rejected,
        errors,
        errorMessage,
        durationMs,
        null);
  }
}
