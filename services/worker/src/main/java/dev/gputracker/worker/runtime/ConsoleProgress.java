package dev.gputracker.worker.runtime;

import dev.gputracker.worker.scrape.ProgressListener;
import dev.gputracker.worker.scrape.RunReport;
import dev.gputracker.worker.scrape.model.SourceReport;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Oneshot mode's console: a line per page and per source while the run works, and a table at the
 * end.
 */
public final class ConsoleProgress implements ProgressListener {
  private final PrintStream out;

  public ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onPage(
      String source, int page, int listings, int inserted, int updated, int rejected) {
    out.printf(
        Locale.ROOT,
        "[%s] page %d: %d listings (%d new, %d changed), %d rejected%n",
        source,
        page,
        listings,
        inserted,
        updated,
        rejected);
    out.flush();
  }

  @Override
  public void onPageError(String source, String url, String error) {
    out.printf(Locale.ROOT, "[%s] page failed: %s: %s%n", source, url, error);
    out.flush();
  }

  @Override
  public void onSourceDone(SourceReport r) {
    out.printf(
        Locale.ROOT,
        "[%s] %s: %d pages, %d listings%s%n",
        r.source(),
        r.status(),
        r.pages(),
        r.seen(),
        r.errorMessage() == null ? "" : " (" + r.errorMessage() + ")");
    out.flush();
  }

  /** The summary table printed when a oneshot run ends. */
  public void summary(RunReport report) {
    out.println();
    out.printf(Locale.ROOT, "Run %d %s%n", report.runId(), report.status());
    String format = "%-16s %-11s %5s %6s %5s %7s %7s %8s %6s %8s%n";
    out.printf(
        Locale.ROOT,
        format,
        "SOURCE",
        "STATUS",
        "PAGES",
        "SEEN",
        "NEW",
        "CHANGED",
        "REMOVED",
        "REJECTED",
        "ERRORS",
        "TIME");
    for (SourceReport r : report.sources()) {
      out.printf(
          Locale.ROOT,
          format,
          r.source(),
          r.status(),
          r.pages(),
          r.seen(),
          r.inserted(),
          r.updated(),
          r.removed(),
          r.rejected(),
          r.errors(),
          String.format(Locale.ROOT, "%.1fs", r.duration().toMillis() / 1000.0));
    }
    for (SourceReport r : report.sources()) {
      if (r.suspect()) {
        out.printf(
            Locale.ROOT,
            "%s is suspect, so nothing was removed: %s%n",
            r.source(),
            r.errorMessage());
      }
    }
    out.flush();
  }
}
