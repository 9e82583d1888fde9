package dev.gputracker.worker.scrape;

import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.html.HtmlPages;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Says in a few words what a page that yielded no listings is instead: an empty body, a robot
 * check, a login or consent wall, a JSON answer, or some other page (named by its title).
 * Marketplaces answer bots, outages and redesigns with pages like these, all with status 200;
 * naming them turns "the market emptied" into an error an operator can act on.
 */
public final class PageDiagnosis {
  /**
   * Phrases of the robot checks of the big CDNs and shops (Amazon, Cloudflare, Akamai, PerimeterX,
   * DataDome).
   */
  private static final Pattern ROBOT_CHECK =
      Pattern.compile(
          "captcha|robot check|are you a robot|not a robot"
              + "|unusual traffic|verify you are (a )?human|checking your browser|just a moment|access denied"
              + "|px-captcha|datadome|cf-chl|challenge-platform",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern CONSENT =
      Pattern.compile(
          "cookie consent|accept (all )?cookies|consent to|"
              + "we value your privacy|zustimmen|akceptuj",
          Pattern.CASE_INSENSITIVE);

  /** Pages larger than this are only looked at up to here: the verdict is in the first part. */
  private static final int LOOK_BYTES = 512 * 1024;

  private PageDiagnosis() {}

  /**
   * What the page is, e.g. "a robot check (captcha) titled 'Amazon.com'" or "an empty body (0
   * bytes)".
   */
  public static String describe(FetchedPage page) {
    byte[] body = page.body();
    String text =
        HtmlPages.decode(
            page.body().length <= LOOK_BYTES
                ? page
                : new FetchedPage(
                    page.url(),
                    page.status(),
                    page.contentType(),
                    Arrays.copyOf(body, LOOK_BYTES)));
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return "an empty body (" + body.length + " bytes)";
    }
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      return "a JSON answer without listings (" + body.length + " bytes: " + snippet(trimmed) + ")";
    }
    Document doc = Jsoup.parse(text, page.url().toString());
    String title = doc.title().strip();
    String named = title.isEmpty() ? "" : " titled '" + shorten(title, 80) + "'";
    String visible = doc.body() == null ? "" : doc.body().text();
    if (doc.selectFirst(
                "form[action*=aptcha], [id*=captcha], [class*=captcha], iframe[src*=captcha]")
            != null
        || ROBOT_CHECK.matcher(title).find()
        || ROBOT_CHECK.matcher(shorten(visible, 4000)).find()) {
      return "a robot check" + named + " (" + body.length + " bytes)";
    }
    if (doc.selectFirst("input[type=password]") != null) {
      return "a login wall" + named + " (" + body.length + " bytes)";
    }
    if (CONSENT.matcher(shorten(visible, 4000)).find() && visible.length() < 4000) {
      return "a consent wall" + named + " (" + body.length + " bytes)";
    }
    if (!doc.body().hasText() && doc.body().childrenSize() == 0) {
      return "an HTML page with an empty body" + named + " (" + body.length + " bytes)";
    }
    return "a page"
        + (named.isEmpty() ? " without a title" : named)
        + " without result markers ("
        + body.length
        + " bytes: "
        + snippet(visible)
        + ")";
  }

  private static String snippet(String s) {
    return "'" + shorten(s.replaceAll("\\s+", " ").strip(), 120) + "'";
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
