-- A listing's whole price history, oldest first (GET /api/listings/{id}), prices in their currency's
-- minor units.
-- $1 bigint: the listing's id.

SELECT h.observed_at, money_text(h.price, h.currency, l.price_unit = 'hour') AS price, h.currency,
       money_text(h.price_usd, 'USD', l.price_unit = 'hour') AS price_usd
FROM price_history h JOIN listings l ON l.id = h.listing_id
WHERE h.listing_id = $1 ORDER BY h.observed_at
