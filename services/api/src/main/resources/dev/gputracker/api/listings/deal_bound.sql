-- The deal order's first phase (ListingQuery, sort=deal), a CTE put before the search: deal_bound.d,
-- the largest of the smallest %4$d values of 100 * (price per GPU / median - 1) among each model's
-- %5$d cheapest listings per GPU (read from V27's market index), or 1e15 when they are fewer. At least
-- that many listings are within d, so a listing whose value exceeds d + 0.3 cannot be on the page; the
-- second phase (ApiSql.DEAL_WITHIN_BOUND) reads per model the listings up to that price.
-- Template: %1$s the search's conditions on l and g, but the deal's presence; %4$d the rows wanted;
-- %5$d the listings read per model; $%2$d and $%3$d the numbers of the parameters below.
-- $%2$d text[]: the models' slugs.
-- $%3$d text[]: their median sale prices per GPU in USD (decimal text), in the slugs' order.

WITH deal_bound AS (
  SELECT CASE WHEN count(*) < %4$d THEN 1e15 ELSE max(x.v) END AS d FROM (
    SELECT f.v FROM unnest($%2$d::text[], $%3$d::text[]::numeric[]) AS med(slug, median)
    CROSS JOIN LATERAL (SELECT (l.price_per_gpu_usd / med.median - 1) * 100 AS v
                        FROM listings l LEFT JOIN gpu_models g ON g.slug = l.gpu_slug
                        WHERE l.gpu_slug = med.slug AND l.price_usd IS NOT NULL AND %1$s
                        ORDER BY l.market_band, l.price_per_gpu_usd LIMIT %5$d) f
    ORDER BY f.v LIMIT %4$d) x
)
