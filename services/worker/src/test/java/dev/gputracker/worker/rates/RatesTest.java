package dev.gputracker.worker.rates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.rates.EcbRatesParser;
import dev.gputracker.shared.rates.ExchangeRates;
import dev.gputracker.shared.testing.TestDatabases;
import dev.gputracker.worker.config.FallbackRates;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RatesTest {

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = RatesTest.class.getResourceAsStream("/rates/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  @DisplayName("the ECB daily file parses to the day's rates per euro")
  void parsesDaily() throws Exception {
    List<ExchangeRates> days = EcbRatesParser.parse(resource("eurofxref-daily.xml"));
    assertThat(days).hasSize(1);
    assertThat(days.get(0).date()).isEqualTo(LocalDate.of(2026, 11, 20));
    assertThat(days.get(0).perEur())
        .containsEntry("USD", new BigDecimal("1.0823"))
        .containsEntry("PLN", new BigDecimal("4.3015"))
        .containsEntry("EUR", BigDecimal.ONE);
  }

  @Test
  @DisplayName("the 90-day history gives one set of rates per day")
  void parsesHistory() throws Exception {
    List<ExchangeRates> days = EcbRatesParser.parse(resource("eurofxref-hist-90d.xml"));
    assertThat(days)
        .extracting(ExchangeRates::date)
        .containsExactly(LocalDate.of(2026, 11, 20), LocalDate.of(2026, 11, 19));
  }

  @Test
  @DisplayName("junk, a document without rates and an XXE attempt are refused with a reason")
  void refusesBadDocuments() {
    assertThatThrownBy(() -> EcbRatesParser.parse("<html>".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(EcbRatesParser.RatesException.class);
    assertThatThrownBy(
            () ->
                EcbRatesParser.parse(
                    "<Envelope><Cube/></Envelope>".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("no dated rates");
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
            + "<Envelope><Cube><Cube time=\"2026-11-20\"><Cube currency=\"USD\" rate=\"&e;\"/></Cube></Cube></Envelope>";
    assertThatThrownBy(() -> EcbRatesParser.parse(xxe.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not an ECB rates document");
  }

  @Test
  @DisplayName(
      "conversion goes through the euro in exact decimals; unknown currencies give nothing")
  void converts() {
    ExchangeRates fx =
        new ExchangeRates(
            LocalDate.of(2026, 11, 20),
            Map.of("USD", new BigDecimal("1.0823"), "PLN", new BigDecimal("4.3015")));
    assertThat(fx.toUsd(new BigDecimal("1699.00"), "EUR")).contains(new BigDecimal("1838.8277"));
    assertThat(fx.toUsd(new BigDecimal("5529.77"), "PLN")).contains(new BigDecimal("1391.3449"));
    assertThat(fx.toUsd(new BigDecimal("10"), "USD")).contains(new BigDecimal("10"));
    assertThat(fx.toUsd(new BigDecimal("10"), "XYZ")).isEmpty();
    assertThat(fx.toUsd(null, "EUR")).isEmpty();
  }

  @Test
  @DisplayName(
      "fallback rates are the bundled ECB rates with their date, can be overridden, and a malformed value"
          + " names the variable")
  void fallback() {
    ExchangeRates builtIn = FallbackRates.from(new Env(Map.of()));
    assertThat(builtIn.perEur())
        .containsKeys("USD", "GBP", "PLN", "BGN", "CAD", "PHP", "CHF", "SEK", "CZK", "JPY");
    assertThat(builtIn.date()).isEqualTo(LocalDate.of(2024, 12, 31));
    assertThat(builtIn.perEur().get("USD")).isEqualByComparingTo("1.0389");
    ExchangeRates custom =
        FallbackRates.from(new Env(Map.of("FX_FALLBACK_RATES", "USD=1.10, PLN=4.25")));
    assertThat(custom.perEur())
        .containsEntry("USD", new BigDecimal("1.10"))
        .containsEntry("PLN", new BigDecimal("4.25"));
    assertThatThrownBy(() -> FallbackRates.from(new Env(Map.of("FX_FALLBACK_RATES", "USD:1.1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("FX_FALLBACK_RATES");
    assertThatThrownBy(() -> FallbackRates.from(new Env(Map.of("FX_FALLBACK_RATES", "USD=-1"))))
        .hasMessageStartingWith("FX_FALLBACK_RATES");
  }

  @Test
  @DisplayName(
      "stored rates are idempotent by day; the latest of each currency wins and fallbacks fill the rest")
  void store() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, db, "rates-test", 2);
      RatesStore store = new RatesStore(pool);
      List<ExchangeRates> history = EcbRatesParser.parse(resource("eurofxref-hist-90d.xml"));
      assertThat(store.save(history, "ecb").await()).isEqualTo(4);
      assertThat(store.save(history, "ecb").await()).isEqualTo(4);
      ExchangeRates latest = store.latest(FallbackRates.from(new Env(Map.of()))).await();
      assertThat(latest.date()).isEqualTo(LocalDate.of(2026, 11, 20));
      assertThat(latest.perEur().get("USD")).isEqualByComparingTo("1.0823");
      assertThat(latest.perEur().get("GBP"))
          .as("from the bundled rates")
          .isEqualByComparingTo("0.82918");
    } finally {
      vertx.close().await();
    }
  }
}
