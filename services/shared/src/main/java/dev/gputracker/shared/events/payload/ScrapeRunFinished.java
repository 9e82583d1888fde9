package dev.gputracker.shared.events.payload;

import java.time.Instant;
import java.util.List;

/** {@code scrape_run.finished}: a run ended, with its verdict and each source's figures. */
public record ScrapeRunFinished(
    long runId,
    String worker,
    String mode,
    String status,
    Instant startedAt,
    Instant finishedAt,
    List<Source> sources)
    implements EventPayload {
  public static final String TYPE = "scrape_run.finished";

  /** One source's part of the run. */
  public record Source(
      String source,
      String status,
      @MayBeAbsent Integer pages,
      @MayBeAbsent Integer listingsSeen,
      @MayBeAbsent Integer listingsNew,
      @MayBeAbsent Integer listingsUpdated,
      @MayBeAbsent Integer listingsRemoved,
      @MayBeAbsent Integer listingsRejected,
      @MayBeAbsent Integer errors) {}
}
