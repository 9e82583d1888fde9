-- How many hours of a model's price history lie in the last days (from its first price there to now;
-- null without one): bucket=auto picks the bucket from it.
-- $1 text: the model's slug.
-- $2 int: the number of days back.

SELECT (extract(epoch FROM now() - greatest(now() - make_interval(days => $2), min(h.observed_at))) / 3600)::float8
         AS hours
FROM price_history h JOIN listings l ON l.id = h.listing_id
WHERE l.gpu_slug = $1 AND h.price_usd IS NOT NULL
