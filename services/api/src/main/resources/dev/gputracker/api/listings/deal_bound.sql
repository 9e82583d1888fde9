-- The deal order without sorting every active sale (V27's market index), exactly: %1$s the search's conditions (on
-- l, g and med) but the deal's presence (every priced sale has one), $%2$d/$%3$d the medians' slugs and values,
-- %4$d the rows wanted. Within a model, the deal is the price per GPU measured against one median, so the model's
-- cheapest listings per GPU are its best deals. The first phase reads, per model, its %5$d cheapest from the index
-- (band, then price per GPU: no heap access without other filters; a share of the rows wanted, so that all models
-- together give them) and keeps d, the largest of the smallest %4$d values of 100 × (price per GPU ÷ median − 1)
-- among them (no bound when they are fewer): at least that many listings are within d, so their deals (that value
-- computed from the listing's own price and GPU count, rounded to 0.1) are at most round(d) + 0.1, and a listing
-- whose value exceeds d + 0.3 has a deal of at least round(d) + 0.2: it cannot be on the page (the margin also
-- covers numeric division's rounding at 16 and more digits). The second phase reads, per model, the listings up to
-- that price by the same index and sorts those. The arrays are sub-selects, so that a custom plan, like the generic
-- one, cannot count them: seeing 350 medians, the first five (custom) plans of each connection joined every active
-- sale by hash (1.2-1.7 s at 2,000,000 listings), where the per-model index ranges take 20 ms.
--
-- Template: %1$s the search's conditions on l and g, but the deal's presence; %4$d the rows wanted;
-- %5$d the listings read per model; $%2$d and $%3$d the numbers of the parameters below.
-- $%2$d text[]: the models' slugs.
-- $%3$d text[]: their median sale prices per GPU in USD (decimal text), in the slugs' order.

WITH deal_bound AS (
  SELECT CASE WHEN count(*) < %4$d THEN 1e15 ELSE max(x.v) END AS d FROM (
    SELECT f.v FROM unnest((SELECT $%2$d::text[]), (SELECT $%3$d::text[]::numeric[])) AS med(slug, median)
    CROSS JOIN LATERAL (SELECT (l.price_per_gpu_usd / med.median - 1) * 100 AS v
                        FROM listings l LEFT JOIN gpu_models g ON g.slug = l.gpu_slug
                        WHERE l.gpu_slug = med.slug AND l.price_usd IS NOT NULL AND %1$s
                        ORDER BY l.market_band, l.price_per_gpu_usd LIMIT %5$d) f
    ORDER BY f.v LIMIT %4$d) x
)
