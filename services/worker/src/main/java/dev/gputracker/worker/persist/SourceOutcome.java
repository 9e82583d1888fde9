package dev.gputracker.worker.persist;

/** The figures recorded for one source in one run ({@code scrape_run_sources}). */
public record SourceOutcome(String status, int pages, int seen, int inserted, int updated, int removed, int rejected,
    int errors, String errorMessage, long durationMs) {}
