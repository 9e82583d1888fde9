package dev.gputracker.worker.scrape.money;

import java.math.BigDecimal;
import java.util.AbstractMap;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;

/**
 * Reads a price as marketplaces print it ({@code $1,329.99}, {@code 1.329,99 €}, {@code 5 529,77
 * zł}, {@code 1 299 лв.}, {@code CAD $1,099.99}, {@code 1.299,-}) into an exact {@link Money};
 * never through a float.
 *
 * <p>Decimal or grouping? A separator followed by one or two digits at the end of the number is the
 * decimal separator; one followed by groups of exactly three digits groups thousands ({@code 1,329}
 * and {@code 1.329} are both 1329), unless the currency has three minor digits (a Kuwaiti dinar),
 * which is where the currency hint matters. Spaces, NBSP, narrow NBSP (U+202F), thin spaces and
 * apostrophes only ever group.
 *
 * <p>Currency: an ISO code in the text wins, then a symbol ({@code zł}, {@code лв}, {@code €},
 * {@code US$} …); a bare {@code $} (or {@code ¥}, {@code kr}) takes the caller's default currency
 * when that is one of its kind ({@code $} on Best Buy Canada is CAD), else USD. Text without
 * digits, or a number with neither a currency in the text nor a default, gives {@link
 * Optional#empty()}: a price is never guessed.
 *
 * <p>Stateless and thread-safe.
 */
public final class PriceParser {

  private static final Set<String> ISO_CODES =
      Set.of(
          "USD", "EUR", "GBP", "PLN", "BGN", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "ISK",
          "CZK", "HUF", "RON", "PHP", "JPY", "CNY", "INR", "BRL", "MXN", "TRY", "UAH", "SGD", "HKD",
          "KRW", "ZAR", "ILS", "AED", "SAR", "KWD", "BHD", "RUB");
  private static final Pattern ISO = Pattern.compile("(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])");

  /** Symbols, longest first so that {@code US$} is not read as a bare {@code $}. */
  private static final List<Map.Entry<Pattern, String>> SYMBOLS =
      List.of(
          symbol("US\\$", "USD"),
          symbol("CA\\$", "CAD"),
          symbol("AU\\$", "AUD"),
          symbol("NZ\\$", "NZD"),
          symbol("HK\\$", "HKD"),
          symbol("MX\\$", "MXN"),
          symbol("R\\$", "BRL"),
          symbol("S\\$", "SGD"),
          symbol("C\\$", "CAD"),
          symbol("A\\$", "AUD"),
          word("zł"),
          word("zl"),
          word("лв"),
          word("Kč"),
          word("Ft"),
          word("lei"),
          word("kr"),
          word("руб"),
          symbol("€", "EUR"),
          symbol("£", "GBP"),
          symbol("₱", "PHP"),
          symbol("₹", "INR"),
          symbol("₽", "RUB"),
          symbol("₴", "UAH"),
          symbol("₺", "TRY"),
          symbol("₩", "KRW"),
          symbol("¥", "¥"),
          symbol("\\$", "$"));

  private static final Map<String, String> WORD_CURRENCY =
      Map.of(
          "zł", "PLN", "zl", "PLN", "лв", "BGN", "Kč", "CZK", "Ft", "HUF", "lei", "RON", "kr", "kr",
          "руб", "RUB");
  private static final Set<String> DOLLARS =
      Set.of("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN");
  private static final Set<String> KRONA = Set.of("SEK", "NOK", "DKK", "ISK");

  /**
   * A number: thousands in groups of three (space, apostrophe, dot or comma) or a plain run of
   * digits, then an optional decimal part of digits or a dash ({@code 1.299,-}), possibly after a
   * space left by stripped tags ({@code $289 .99}).
   */
  private static final Pattern NUMBER =
      Pattern.compile("(\\d{1,3}(?:[ '’.,]\\d{3})+(?!\\d)|\\d+)(?: ?([.,])(\\d+|-{1,2})(?!\\d))?");

  private static final Pattern SPACES = Pattern.compile("[\\s\\u00A0\\u2007\\u2009\\u202F]+");

  private PriceParser() {}

  /** Parses {@code text} with no default currency: the text must name its currency. */
  public static Optional<Money> parse(String text) {
    return parse(text, null);
  }

  /**
   * Parses {@code text}; {@code defaultCurrency} (ISO code, may be null) is used when the text has
   * no currency and decides what a bare {@code $}, {@code ¥} or {@code kr} means.
   */
  public static Optional<Money> parse(String text, String defaultCurrency) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String s = SPACES.matcher(text).replaceAll(" ").trim();
    Token token = currencyToken(s);
    String currency = token == null ? defaultCurrency : resolve(token.symbol(), defaultCurrency);
    if (currency == null) {
      return Optional.empty();
    }
    Matcher number = pickNumber(s, token);
    if (number == null) {
      return Optional.empty();
    }
    return Optional.of(new Money(amount(number, currency), currency));
  }

  /**
   * Parses the text of an element, so that a price split over tags ({@code
   * $<strong>289</strong><sup>.99</sup>}) reads as one number.
   */
  public static Optional<Money> parse(Element element, String defaultCurrency) {
    return element == null ? Optional.empty() : parse(element.text(), defaultCurrency);
  }

  /**
   * The first currency that {@code text} names, resolved with {@code defaultCurrency} as the hint,
   * if any.
   */
  public static Optional<String> currencyOf(String text, String defaultCurrency) {
    if (text == null) {
      return Optional.empty();
    }
    Token token = currencyToken(text);
    return token == null ? Optional.empty() : Optional.of(resolve(token.symbol(), defaultCurrency));
  }

  private static BigDecimal amount(Matcher number, String currency) {
    String whole = number.group(1).replaceAll("[^0-9]", "");
    String separator = number.group(2);
    String fraction = number.group(3);
    if (separator == null
        && whole.length() != number.group(1).length()
        && threeMinorDigits(currency)) {
      // "1.250" in a three-decimal currency is one and a quarter, not twelve hundred and fifty.
      String grouped = number.group(1);
      int last = Math.max(grouped.lastIndexOf('.'), grouped.lastIndexOf(','));
      if (last > 0 && grouped.indexOf(grouped.charAt(last)) == last) {
        return new BigDecimal(
            grouped.substring(0, last).replaceAll("[^0-9]", "")
                + "."
                + grouped.substring(last + 1));
      }
    }
    if (fraction == null || fraction.startsWith("-")) {
      return new BigDecimal(whole);
    }
    return new BigDecimal(whole + "." + fraction);
  }

  private static boolean threeMinorDigits(String currency) {
    try {
      return Currency.getInstance(currency).getDefaultFractionDigits() == 3;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The number written next to the currency when there is one ({@code RTX 3080 $1,299} is 1299),
   * else the first.
   */
  private static Matcher pickNumber(String s, Token token) {
    Matcher m = NUMBER.matcher(s);
    Matcher first = null;
    while (m.find()) {
      if (token == null) {
        return m;
      }
      if (first == null) {
        first = copy(s, m);
      }
      boolean after = m.start() >= token.end() && s.substring(token.end(), m.start()).isBlank();
      boolean before = m.end() <= token.start() && s.substring(m.end(), token.start()).isBlank();
      if (after || before) {
        return m;
      }
    }
    return first;
  }

  private static Matcher copy(String s, Matcher m) {
    Matcher c = NUMBER.matcher(s);
    return c.find(m.start()) ? c : null;
  }

  private static Token currencyToken(String s) {
    Matcher iso = ISO.matcher(s);
    while (iso.find()) {
      if (ISO_CODES.contains(iso.group(1))) {
        return new Token(iso.group(1), iso.start(), iso.end());
      }
    }
    for (Map.Entry<Pattern, String> entry : SYMBOLS) {
      Matcher m = entry.getKey().matcher(s);
      if (m.find()) {
        String symbol = entry.getValue() == null ? WORD_CURRENCY.get(m.group()) : entry.getValue();
        return new Token(symbol, m.start(), m.end());
      }
    }
    return null;
  }

  private static String resolve(String symbol, String defaultCurrency) {
    switch (symbol) {
      case "$":
        return defaultCurrency != null && DOLLARS.contains(defaultCurrency)
            ? defaultCurrency
            : "USD";
      case "¥":
        return "CNY".equals(defaultCurrency) ? "CNY" : "JPY";
      case "kr":
        return defaultCurrency != null && KRONA.contains(defaultCurrency) ? defaultCurrency : "SEK";
      default:
        return symbol;
    }
  }

  private static Map.Entry<Pattern, String> symbol(String regex, String currency) {
    return Map.entry(Pattern.compile(regex), currency);
  }

  /**
   * A currency written with letters, which must not be part of a longer word ({@code kr} in {@code
   * krzesło}).
   */
  private static Map.Entry<Pattern, String> word(String letters) {
    return new AbstractMap.SimpleImmutableEntry<>(
        Pattern.compile("(?<!\\p{L})" + Pattern.quote(letters) + "(?!\\p{L})"), null);
  }

  private record Token(String symbol, int start, int end) {}
}
