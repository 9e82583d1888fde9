package dev.gputracker.worker.scrape;

/** Follows a run as it goes: oneshot mode prints a line per page, the daemon logs. Called on an event loop. */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {};

  default void onPage(String source, int page, int listings, int inserted, int updated, int rejected) {}

  default void onPageError(String source, String url, String error) {}

  default void onSourceDone(SourceReport report) {}
}
