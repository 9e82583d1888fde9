-- A listing search's extra columns when prices are also shown in another currency (appended to the
-- listing columns of ListingColumns; listings.ListingSelects joins exchange_rates_join.sql for fx):
-- display_price, the USD price in that currency's minor units; fx_source (ecb, bundled, or null when
-- neither knows the currency) and fx_date, which rates gave it.
-- Template: $%1$d is the number of the parameter that holds the currency.
-- $%1$d text: the currency's ISO 4217 code.

money_text(l.price_usd * fx.target_per_eur / fx.usd_per_eur, $%1$d::text, l.price_unit = 'hour') AS display_price,
  fx.source AS fx_source, fx.rate_date::text AS fx_date
