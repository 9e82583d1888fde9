-- price_bands.sql: the current price band of each model and kind: the median USD price per GPU over active listings.
--
-- Parameters: $1 int the fewest listings a band needs.
SELECT gpu_slug, kind, percentile_cont(0.5) WITHIN GROUP (ORDER BY price_usd / gpu_count) AS median
FROM listings
WHERE active AND price_usd IS NOT NULL AND gpu_slug IS NOT NULL
GROUP BY gpu_slug, kind
HAVING count(*) >= $1
