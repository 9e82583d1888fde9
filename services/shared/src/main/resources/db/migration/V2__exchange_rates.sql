-- Euro reference rates by day (units of the currency per 1 EUR), as the ECB publishes them. Listings get a USD price
-- from the latest rates; the original price and currency are always kept.
CREATE TABLE exchange_rates (
    rate_date  date NOT NULL,
    currency   char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    per_eur    numeric(18, 8) NOT NULL CHECK (per_eur > 0),
    source     text NOT NULL,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rate_date, currency)
);
CREATE INDEX exchange_rates_latest_idx ON exchange_rates (currency, rate_date DESC);
