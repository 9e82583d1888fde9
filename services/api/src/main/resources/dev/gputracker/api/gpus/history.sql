-- A model's price series: a listing's price counts in every bucket its validity span (from one observation to the
-- next change, or to its removal) overlaps, so a quiet week still has the prices that held through it. $2 is
-- 'minute', 'hour', 'day' or 'week' (validated), $3 the number of days back.
--
-- What it reads is bounded by the window, not by the history's length (measured at 2,000,000 listings and
-- 20,000,000 price points, bench/scale.sh): per listing of the model (the gpu_slug index), its observations in the
-- window and the one before it, the price that held when the window opened (two probes of the primary key); earlier
-- spans end before the first bucket. Each span then yields the buckets it overlaps, instead of every span being
-- compared with every bucket. Buckets are aligned on the unit (date_trunc), and only buckets that some span
-- overlaps appear, so starting them at the window's first bucket gives the rows that starting at the model's first
-- price in the window gave.
--
-- $1 text: the model's slug.
-- $2 text: the bucket, one of minute, hour, day, week (validated by the handler).
-- $3 int: the number of days back.

WITH w AS (
  SELECT date_trunc($2, now() - make_interval(days => $3)) AS first, date_trunc($2, now()) AS last,
         ('1 ' || $2)::interval AS step
),
spans AS (
  SELECT l.kind, h.price_usd / l.gpu_count AS price, h.observed_at AS valid_from,
         coalesce(lead(h.observed_at) OVER (PARTITION BY h.listing_id ORDER BY h.observed_at), l.removed_at,
                  'infinity'::timestamptz) AS valid_to
  FROM w CROSS JOIN listings l
  CROSS JOIN LATERAL (
    (SELECT p.listing_id, p.observed_at, p.price_usd FROM price_history p
     WHERE p.listing_id = l.id AND p.price_usd IS NOT NULL AND p.observed_at <= w.first
     ORDER BY p.observed_at DESC LIMIT 1)
    UNION ALL
    (SELECT p.listing_id, p.observed_at, p.price_usd FROM price_history p
     WHERE p.listing_id = l.id AND p.price_usd IS NOT NULL AND p.observed_at > w.first)
  ) h
  WHERE l.gpu_slug = $1
)
SELECT b.bucket, s.kind, count(*)::int AS samples, round(min(s.price), 4)::text AS min,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.price::float8)::numeric, 4)::text AS median
FROM w CROSS JOIN spans s
CROSS JOIN LATERAL generate_series(greatest(date_trunc($2, s.valid_from), w.first),
                                   least(date_trunc($2, s.valid_to), w.last), w.step) AS b(bucket)
WHERE b.bucket < s.valid_to
GROUP BY b.bucket, s.kind
ORDER BY b.bucket, s.kind
