package dev.gputracker.worker.scrape;

/**
 * A page could not be read at all (not the expected format, blocked, a captcha). The engine records
 * it as a page error of the source with this message and carries on; it never stops other sources.
 */
public final class PageParseException extends Exception {
  private static final long serialVersionUID = 1L;

  public PageParseException(String message) {
    super(message);
  }

  public PageParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
