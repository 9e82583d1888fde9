package dev.gputracker.worker.scrape;

import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.html.HtmlPages;
import org.jsoup.select.Selector;

/**
 * Runs a source's adapter on one page and holds every adapter to one rule: a page that yields no
 * listings is a page error naming what was seen ({@link PageDiagnosis}), unless it is the site's
 * honest "no results" page, recognised by the source's optional {@code empty_results} CSS selector
 * in {@code options}. Zero listings are never taken as "the market emptied": that is how a
 * redesign, a robot check or a login wall would otherwise remove every listing. The scrape engine,
 * {@code parse} and {@code probe} all read pages through here.
 */
public final class PageReader {
  /** The option naming the selector of a source's honest "no results" page. */
  public static final String EMPTY_RESULTS = "empty_results";

  private PageReader() {}

  public static PageResult read(SourceAdapter adapter, FetchedPage page, SourceConfig source)
      throws PageParseException {
    PageResult result;
    try {
      result = adapter.parse(page, source);
    } catch (PageParseException e) {
      // The adapter's reason says what it missed; the diagnosis adds what came instead.
      String where = e.getMessage().contains(page.url().toString()) ? "" : " (" + page.url() + ")";
      throw new PageParseException(
          e.getMessage() + where + "; the page is " + PageDiagnosis.describe(page), e);
    }
    if (!result.listings().isEmpty() || honestlyEmpty(page, source)) {
      return result;
    }
    throw new PageParseException(
        "no listings on " + page.url() + ": the page is " + PageDiagnosis.describe(page));
  }

  private static boolean honestlyEmpty(FetchedPage page, SourceConfig source)
      throws PageParseException {
    Object selector = source.options().getValue(EMPTY_RESULTS);
    if (selector == null) {
      return false;
    }
    if (!(selector instanceof String css) || css.isBlank()) {
      throw new PageParseException("options." + EMPTY_RESULTS + " must be a CSS selector");
    }
    try {
      return HtmlPages.parse(page).selectFirst(css) != null;
    } catch (Selector.SelectorParseException e) {
      throw new PageParseException(
          "options." + EMPTY_RESULTS + " is not a valid CSS selector: " + e.getMessage(), e);
    }
  }
}
