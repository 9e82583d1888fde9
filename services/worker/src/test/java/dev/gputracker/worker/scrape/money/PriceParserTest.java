package dev.gputracker.worker.scrape.money;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceParserTest {

  @ParameterizedTest(name = "{0} ({1}) -> {2} {3}")
  @DisplayName("prices as marketplaces print them, exactly, never through a float")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "$1,329.99 | null | 1329.99 | USD",
        "€1,699.00 | null | 1699.00 | EUR",
        "1.329,99 € | null | 1329.99 | EUR",
        "£965.95 | null | 965.95 | GBP",
        "5 529,77 zł | null | 5529.77 | PLN",
        "5\u00a0529,77\u00a0zł | null | 5529.77 | PLN",
        "5\u202f529,77 zł | null | 5529.77 | PLN",
        "1 299 лв. | null | 1299 | BGN",
        "₱45,999.00 | null | 45999.00 | PHP",
        "CAD $1,099.99 | null | 1099.99 | CAD",
        "$1,099.99 | CAD | 1099.99 | CAD",
        "US$ 12.50 | null | 12.50 | USD",
        "USD 12.50 | null | 12.50 | USD",
        "12,50 PLN | null | 12.50 | PLN",
        "1.299,- € | null | 1299 | EUR",
        "2 199,00 zł | PLN | 2199.00 | PLN",
        "1,299 | USD | 1299 | USD",
        "899 | EUR | 899 | EUR",
        "$289 .99 | null | 289.99 | USD",
        "4 999 kr | SEK | 4999 | SEK",
      })
  void parses(String text, String hint, String amount, String currency) {
    Money m = PriceParser.parse(text, hint).orElseThrow();
    assertThat(m.amount()).isEqualByComparingTo(amount);
    assertThat(m.amount().toPlainString()).isEqualTo(amount);
    assertThat(m.currency()).isEqualTo(currency);
  }

  @Test
  @DisplayName("a price split across tags reads as one number")
  void splitAcrossTags() {
    Money m =
        PriceParser.parse(
                Jsoup.parse("<li>$<strong>289</strong><sup>.99</sup></li>").selectFirst("li"), null)
            .orElseThrow();
    assertThat(m.amount()).isEqualByComparingTo("289.99");
    assertThat(m.currency()).isEqualTo("USD");
  }

  @Test
  @DisplayName(
      "text without a price, or a number without any currency, gives nothing: a price is never guessed")
  void nothing() {
    assertThat(PriceParser.parse("Договаряне", "BGN")).isEmpty();
    assertThat(PriceParser.parse("", "USD")).isEmpty();
    assertThat(PriceParser.parse((String) null, "USD")).isEmpty();
    assertThat(PriceParser.parse("1299")).isEmpty();
    assertThat(PriceParser.parse("currently unavailable", "USD")).isEmpty();
  }
}
