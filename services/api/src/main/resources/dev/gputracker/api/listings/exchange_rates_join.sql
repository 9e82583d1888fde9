-- The exchange rates a search in another currency converts with, joined as fx: the latest stored ECB
-- rates when both the currency and USD have one, else the bundled ECB rates (a fresh or offline
-- installation). Rates are per EUR.
-- Template: $%1$d to $%4$d are the numbers of the parameters below.
-- $%1$d text: the currency's ISO 4217 code.
-- $%2$d text: the bundled rate of the currency (decimal text), null when the bundle lacks it.
-- $%3$d text: the bundled rate of USD (decimal text).
-- $%4$d text: the bundled rates' date (ISO 8601).

LEFT JOIN (
  SELECT CASE WHEN stored THEN s.target ELSE $%2$d::text::numeric END AS target_per_eur,
         CASE WHEN stored THEN s.usd ELSE $%3$d::text::numeric END AS usd_per_eur,
         CASE WHEN stored THEN 'ecb' WHEN $%2$d::text IS NOT NULL THEN 'bundled' END AS source,
         CASE WHEN stored THEN s.day WHEN $%2$d::text IS NOT NULL THEN $%4$d::text::date END AS rate_date
  FROM (SELECT *, target IS NOT NULL AND usd IS NOT NULL AS stored FROM (
          SELECT (CASE WHEN $%1$d = 'EUR' THEN 1 ELSE (SELECT per_eur FROM exchange_rates
                    WHERE currency = $%1$d ORDER BY rate_date DESC LIMIT 1) END) AS target,
                 (SELECT per_eur FROM exchange_rates WHERE currency = 'USD' ORDER BY rate_date DESC LIMIT 1) AS usd,
                 (SELECT max(rate_date) FROM exchange_rates WHERE currency = 'USD') AS day) r) s
) fx ON true
