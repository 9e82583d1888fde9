-- Prices as people write them: an amount in its currency's minor units (ISO 4217: 244.99 USD, 35000 JPY, 1.250 KWD),
-- not as numeric(14,4) stores it (244.9900). Hourly rentals keep the precision their source gave (0.3125 USD/h) but
-- never fewer decimals than the currency uses (0.40, not 0.4). Amounts are exact decimals; only the text changes.
CREATE FUNCTION currency_minor_units(currency text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN currency IN ('BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV',
                      'XAF', 'XOF', 'XPF') THEN 0
    WHEN currency IN ('BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND') THEN 3
    ELSE 2
  END
$$;

CREATE FUNCTION money_text(amount numeric, currency text, per_hour boolean) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN amount IS NULL THEN NULL
    WHEN per_hour AND scale(trim_scale(amount)) > currency_minor_units(currency) THEN trim_scale(amount)::text
    ELSE round(amount, currency_minor_units(currency))::text
  END
$$;
