-- A search's Atom feed (ListingFeed): the listings matching its conditions that were first seen or
-- dropped their price (in the same currency) in the last 30 days, newest first, at most 50. A price
-- history row without an earlier one is the listing's first sighting; previous_price is null there.
-- Template: %s the search's conditions on l and g, joined with AND (ListingQuery.filters).
-- $1 to $n: the search's own filter parameters, in its order (ListingQuery.filterParams).

SELECT l.id, l.title, l.kind, l.gpu_slug, l.source_name AS source, l.url, l.price_unit, l.gpu_count,
       h.observed_at, money_text(h.price, h.currency, l.price_unit = 'hour') AS price, h.currency,
       money_text(h.price_usd, 'USD', l.price_unit = 'hour') AS price_usd,
       money_text(prev.price, prev.currency, l.price_unit = 'hour') AS previous_price,
       prev.currency AS previous_currency
FROM price_history h
JOIN listings l ON l.id = h.listing_id
LEFT JOIN gpu_models g ON g.slug = l.gpu_slug
LEFT JOIN LATERAL (SELECT p.price, p.currency, p.observed_at FROM price_history p
                   WHERE p.listing_id = h.listing_id AND p.observed_at < h.observed_at
                   ORDER BY p.observed_at DESC LIMIT 1) prev ON true
WHERE h.observed_at > now() - interval '30 days'
  AND (prev.observed_at IS NULL OR (h.price < prev.price AND h.currency = prev.currency))
  AND %s
ORDER BY h.observed_at DESC, h.listing_id DESC
LIMIT 50
