package dev.gputracker.worker.rates;

import dev.gputracker.shared.rates.ExchangeRates;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stores fetched euro reference rates by day and reads the latest rate of every currency. */
public final class RatesStore {
  static final String SAVE =
      """
      INSERT INTO exchange_rates (rate_date, currency, per_eur, source)
      SELECT * FROM unnest($1::date[], $2::text[], $3::text[]::numeric[], $4::text[])
      ON CONFLICT (rate_date, currency) DO UPDATE SET per_eur = EXCLUDED.per_eur, source = EXCLUDED.source,
        fetched_at = now()
      """;

  static final String LATEST =
      """
      SELECT DISTINCT ON (currency) currency, per_eur::text AS per_eur, rate_date
      FROM exchange_rates ORDER BY currency, rate_date DESC
      """;

  static final String NEWEST = "SELECT max(rate_date) AS newest FROM exchange_rates";

  private final Pool pool;

  public RatesStore(Pool pool) {
    this.pool = pool;
  }

  /** Saves every day of {@code days} (idempotent), in one round trip. */
  public Future<Integer> save(List<ExchangeRates> days, String source) {
    int n = days.stream().mapToInt(d -> d.perEur().size() - 1).sum();
    LocalDate[] dates = new LocalDate[n];
    String[] currencies = new String[n];
    String[] rates = new String[n];
    String[] sources = new String[n];
    int i = 0;
    for (ExchangeRates day : days) {
      for (Map.Entry<String, BigDecimal> e : day.perEur().entrySet()) {
        if (e.getKey().equals("EUR")) {
          continue;
        }
        dates[i] = day.date();
        currencies[i] = e.getKey();
        rates[i] = e.getValue().toPlainString();
        sources[i] = source;
        i++;
      }
    }
    return pool.preparedQuery(SAVE)
        .execute(
            Tuple.tuple()
                .addArrayOfLocalDate(dates)
                .addArrayOfString(currencies)
                .addArrayOfString(rates)
                .addArrayOfString(sources))
        .map(rows -> rows.rowCount());
  }

  /** The day of the newest stored rates; empty before the first successful fetch. */
  public Future<Optional<LocalDate>> newest() {
    return pool.query(NEWEST)
        .execute()
        .map(rows -> Optional.ofNullable(rows.iterator().next().getLocalDate("newest")));
  }

  /**
   * The latest stored rate of each currency, with {@code fallback} for the currencies never
   * fetched.
   */
  public Future<ExchangeRates> latest(ExchangeRates fallback) {
    return pool.query(LATEST)
        .execute()
        .map(
            rows -> {
              Map<String, BigDecimal> rates = new HashMap<>();
              LocalDate newest = null;
              for (Row r : rows) {
                rates.put(r.getString("currency"), new BigDecimal(r.getString("per_eur")));
                LocalDate d = r.getLocalDate("rate_date");
                newest = newest == null || d.isAfter(newest) ? d : newest;
              }
              return new ExchangeRates(newest, rates).orElse(fallback);
            });
  }
}
