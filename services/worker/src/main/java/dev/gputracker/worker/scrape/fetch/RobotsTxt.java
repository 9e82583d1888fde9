package dev.gputracker.worker.scrape.fetch;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A robots.txt as RFC 9309 reads it, parsed by crawler-commons' {@link SimpleRobotRulesParser} (the
 * parser Nutch and StormCrawler use): the groups naming our product token apply, else the {@code *}
 * groups; the longest matching rule wins and an equally long allow beats a disallow; {@code *} and
 * a trailing {@code $} in patterns; percent encodings compared in their normal form; {@code
 * /robots.txt} itself always allowed.
 *
 * <p>The parser resolves groups for the agent names it is given, and one host's file serves every
 * agent a source rotates through, so the text is kept and parsed once per product token on first
 * use.
 */
public final class RobotsTxt {

  /** What a 4xx robots.txt means: no restrictions. */
  public static final RobotsTxt ALLOW_ALL = new RobotsTxt(new byte[0], Boolean.TRUE);

  /** What an unreachable robots.txt (5xx, network error) means until it can be read again. */
  public static final RobotsTxt DISALLOW_ALL = new RobotsTxt(new byte[0], Boolean.FALSE);

  /**
   * The parser needs a URL for the file; only its path matters for matching, so any origin will do.
   */
  private static final String ORIGIN = "http://robots.invalid";

  private final byte[] content;
  private final Boolean blanket;
  private final Map<String, BaseRobotRules> byToken = new ConcurrentHashMap<>();

  private RobotsTxt(byte[] content, Boolean blanket) {
    this.content = content;
    this.blanket = blanket;
  }

  /**
   * Keeps robots.txt text for matching; malformed lines are skipped when it is parsed, never fatal.
   */
  public static RobotsTxt parse(String text) {
    return new RobotsTxt(text.getBytes(StandardCharsets.UTF_8), null);
  }

  /**
   * The product token of a User-Agent header: its leading run of letters, '-' and '_'
   * ("GPU-Tracker" for "GPU-Tracker/0.1 (…)").
   */
  public static String productToken(String userAgent) {
    int end = 0;
    while (end < userAgent.length()) {
      char c = userAgent.charAt(end);
      if (!(Character.isLetter(c) && c < 128) && c != '-' && c != '_') {
        break;
      }
      end++;
    }
    return userAgent.substring(0, end);
  }

  /**
   * Whether the agent may fetch the path.
   *
   * @param productToken our product token, e.g. "GPU-Tracker"
   * @param pathAndQuery the raw (still percent-encoded) path with its query, e.g. "/a/b?c=d"
   */
  public boolean isAllowed(String productToken, String pathAndQuery) {
    String path = pathAndQuery == null || pathAndQuery.isEmpty() ? "/" : pathAndQuery;
    if (path.equals("/robots.txt")) {
      return true;
    }
    if (blanket != null) {
      return blanket;
    }
    String token = productToken.toLowerCase(Locale.ROOT);
    BaseRobotRules rules = byToken.computeIfAbsent(token, this::rulesFor);
    return rules.isAllowed(ORIGIN + (path.startsWith("/") ? path : "/" + path));
  }

  private BaseRobotRules rulesFor(String token) {
    // An agent without a product token is held to the '*' groups: a name no group can carry stands
    // in for it.
    List<String> names = List.of(token.isEmpty() ? "gpu-tracker-anonymous-agent" : token);
    return new SimpleRobotRulesParser()
        .parseContent(ORIGIN + "/robots.txt", content, "text/plain", names);
  }
}
