package dev.gputracker.worker.scrape.fetch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed robots.txt (RFC 9309): groups of rules per user-agent product token, longest match wins.
 *
 * <p>Matching rules, as the RFC has them: the groups naming our product token (case-insensitive) are merged; when
 * none does, the {@code *} groups apply; among the allow and disallow rules matching the path, the longest pattern
 * wins and an equally long allow beats a disallow. Patterns support {@code *} (any run of characters) and a trailing
 * {@code $} (end of path). {@code /robots.txt} itself is always allowed. Unknown lines (sitemap, crawl-delay) are
 * ignored.
 */
public final class RobotsTxt {

  /** What a 4xx robots.txt means: no restrictions. */
  public static final RobotsTxt ALLOW_ALL = new RobotsTxt(List.of(), Boolean.TRUE);

  /** What an unreachable robots.txt (5xx, network error) means until it can be read again. */
  public static final RobotsTxt DISALLOW_ALL = new RobotsTxt(List.of(), Boolean.FALSE);

  private record Rule(boolean allow, String pattern) {}

  private record Group(List<String> agents, List<Rule> rules) {}

  private final List<Group> groups;
  private final Boolean blanket;

  private RobotsTxt(List<Group> groups, Boolean blanket) {
    this.groups = groups;
    this.blanket = blanket;
  }

  /** Parses robots.txt text; malformed lines are skipped, never fatal. */
  public static RobotsTxt parse(String text) {
    List<Group> groups = new ArrayList<>();
    Group current = null;
    boolean lastWasAgent = false;
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    for (String raw : body.split("\r\n|\n|\r")) {
      int hash = raw.indexOf('#');
      String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (key) {
        case "user-agent" -> {
          if (!lastWasAgent || current == null) {
            current = new Group(new ArrayList<>(), new ArrayList<>());
            groups.add(current);
          }
          current.agents().add(value.equals("*") ? "*" : productToken(value).toLowerCase(Locale.ROOT));
          lastWasAgent = true;
        }
        case "allow", "disallow" -> {
          lastWasAgent = false;
          // An empty disallow means "nothing disallowed": it adds no rule.
          if (current != null && !value.isEmpty()) {
            current.rules().add(new Rule(key.equals("allow"), normalize(value)));
          }
        }
        default -> {
          // sitemap, crawl-delay and unknown records neither add rules nor split a group.
        }
      }
    }
    return new RobotsTxt(List.copyOf(groups), null);
  }

  /**
   * The product token of a User-Agent header: its leading run of letters, '-' and '_' ("GPU-Tracker" for
   * "GPU-Tracker/0.1 (…)").
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
    List<Rule> rules = rulesFor(productToken.toLowerCase(Locale.ROOT));
    String target = normalize(path);
    Rule best = null;
    for (Rule rule : rules) {
      if (!matches(rule.pattern(), target)) {
        continue;
      }
      if (best == null
          || rule.pattern().length() > best.pattern().length()
          || (rule.pattern().length() == best.pattern().length() && rule.allow())) {
        best = rule;
      }
    }
    return best == null || best.allow();
  }

  private List<Rule> rulesFor(String token) {
    List<Rule> named = new ArrayList<>();
    List<Rule> star = new ArrayList<>();
    for (Group group : groups) {
      if (!token.isEmpty() && group.agents().contains(token)) {
        named.addAll(group.rules());
      } else if (group.agents().contains("*")) {
        star.addAll(group.rules());
      }
    }
    boolean anyNamed = groups.stream().anyMatch(g -> !token.isEmpty() && g.agents().contains(token));
    return anyNamed ? named : star;
  }

  /**
   * Glob match of a robots pattern against a path: the pattern matches a prefix of the path, '*' matches any run,
   * and a trailing '$' anchors the end.
   */
  static boolean matches(String pattern, String path) {
    boolean anchored = pattern.endsWith("$");
    String p = anchored ? pattern.substring(0, pattern.length() - 1) : pattern + "*";
    // Classic two-pointer wildcard matching with one backtrack point: linear for patterns without many stars.
    int pi = 0;
    int si = 0;
    int starP = -1;
    int starS = 0;
    while (si < path.length()) {
      if (pi < p.length() && p.charAt(pi) != '*' && p.charAt(pi) == path.charAt(si)) {
        pi++;
        si++;
      } else if (pi < p.length() && p.charAt(pi) == '*') {
        starP = pi++;
        starS = si;
      } else if (starP >= 0) {
        pi = starP + 1;
        si = ++starS;
      } else {
        return false;
      }
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }

  /**
   * RFC 9309 §2.2.2 comparison form: non-ASCII octets percent-encoded, percent-encoded unreserved characters
   * decoded, hex digits upper-cased.
   */
  static String normalize(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 8);
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if (b == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
        int decoded = Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16);
        if (isUnreserved(decoded)) {
          out.write(decoded);
        } else {
          writePercent(out, decoded);
        }
        i += 2;
      } else if (b >= 0x80 || b <= 0x20) {
        writePercent(out, b);
      } else {
        out.write(b);
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  private static void writePercent(ByteArrayOutputStream out, int b) {
    String hex = "0123456789ABCDEF";
    out.write('%');
    out.write(hex.charAt(b >> 4));
    out.write(hex.charAt(b & 0xf));
  }

  private static boolean isHex(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }
}
