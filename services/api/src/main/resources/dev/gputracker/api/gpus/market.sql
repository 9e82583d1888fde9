-- The catalog with live market figures per model over active listings priced in USD, all per GPU: sales (min,
-- median, 90th percentile) and rentals per GPU-hour (min, median). Medians are computed in double precision by
-- PostgreSQL and rounded back to 4 decimals, which is exact for prices with at most 4 decimals. Price per FP32
-- TFLOP divides by the median measured by gpu-benchmark jobs where the model has one, else by the catalog's figure;
-- fp32_tflops_source says which. $1 is a slug or null for every model.
--
-- The figures are those of the aggregate over every active priced listing, without aggregating them (V27): the
-- listing counts per model, kind and price band (gpu_market_bands, kept by triggers in the writing transaction)
-- give each percentile's rank's band, and the rank is read in that band of listings_market_idx (an offset within
-- one band). The interpolation is percentile_cont's, in double precision and in its order of operations, so the
-- figures are the aggregate's to the last digit (tested against it); the cost grows with the number of models and
-- bands, not of listings.
--
-- Template: %s the ORDER BY list (ApiSql.GPUS_BY_LISTINGS, ApiSql.GPUS_BY_VALUE).
-- $1 text: a model's slug, or null for every model.
-- $2 text: a vendor, or null for every vendor.
-- $3 boolean: true for only the models with active listings.

WITH bands AS (
  SELECT gpu_slug, kind, band, listings,
         sum(listings) OVER (PARTITION BY gpu_slug, kind ORDER BY band) - listings AS before,
         sum(listings) OVER (PARTITION BY gpu_slug, kind) AS total
  FROM gpu_market_bands
  WHERE listings > 0 AND ($1::text IS NULL OR gpu_slug = $1)
),
totals AS (SELECT DISTINCT gpu_slug, kind, total FROM bands),
ranks AS (
  -- The 0-based ranks percentile_cont interpolates between (floor and ceiling of p * (n - 1)), and the
  -- minimum's: computed in double precision, as PostgreSQL computes them.
  SELECT DISTINCT t.gpu_slug, t.kind, r.pos
  FROM totals t
  CROSS JOIN LATERAL (VALUES (0::float8), (floor(0.5::float8 * (t.total - 1))), (ceil(0.5::float8 * (t.total - 1))),
                             (floor(0.9::float8 * (t.total - 1))), (ceil(0.9::float8 * (t.total - 1)))) r(pos)
),
at_rank AS (
  SELECT r.gpu_slug, r.kind, r.pos, v.price
  FROM ranks r
  JOIN bands b ON b.gpu_slug = r.gpu_slug AND b.kind = r.kind AND r.pos >= b.before
              AND r.pos < b.before + b.listings
  CROSS JOIN LATERAL (SELECT l.price_per_gpu_usd AS price FROM listings l
                      WHERE l.gpu_slug = r.gpu_slug AND l.kind = r.kind AND l.market_band = b.band
                        AND l.active AND l.price_usd IS NOT NULL
                      ORDER BY l.market_band, l.price_per_gpu_usd
                      OFFSET (r.pos - b.before)::bigint LIMIT 1) v
),
per_kind AS (
  SELECT t.gpu_slug, t.kind, t.total,
         max(a.price) FILTER (WHERE a.pos = 0) AS min,
         max(a.price) FILTER (WHERE a.pos = floor(0.5::float8 * (t.total - 1))) AS median_lo,
         max(a.price) FILTER (WHERE a.pos = ceil(0.5::float8 * (t.total - 1))) AS median_hi,
         max(a.price) FILTER (WHERE a.pos = floor(0.9::float8 * (t.total - 1))) AS p90_lo,
         max(a.price) FILTER (WHERE a.pos = ceil(0.9::float8 * (t.total - 1))) AS p90_hi
  FROM totals t JOIN at_rank a ON a.gpu_slug = t.gpu_slug AND a.kind = t.kind
  GROUP BY t.gpu_slug, t.kind, t.total
),
figures AS (
  -- percentile_cont's interpolation, in its order of operations: lo + (p * (n - 1) - floor) * (hi - lo).
  SELECT gpu_slug, kind, total, min,
         median_lo::float8 + (0.5::float8 * (total - 1) - floor(0.5::float8 * (total - 1)))
           * (median_hi::float8 - median_lo::float8) AS median,
         p90_lo::float8 + (0.9::float8 * (total - 1) - floor(0.9::float8 * (total - 1)))
           * (p90_hi::float8 - p90_lo::float8) AS p90
  FROM per_kind
),
market AS (
  SELECT gpu_slug,
         sum(total)::int AS active_listings,
         coalesce(sum(total) FILTER (WHERE kind = 'sale'), 0)::int AS sale_count,
         max(min) FILTER (WHERE kind = 'sale') AS sale_min,
         round(max(median) FILTER (WHERE kind = 'sale')::numeric, 4) AS sale_median,
         round(max(p90) FILTER (WHERE kind = 'sale')::numeric, 4) AS sale_p90,
         coalesce(sum(total) FILTER (WHERE kind = 'rental'), 0)::int AS rental_count,
         max(min) FILTER (WHERE kind = 'rental') AS rental_min,
         round(max(median) FILTER (WHERE kind = 'rental')::numeric, 4) AS rental_median
  FROM figures
  GROUP BY gpu_slug
)
SELECT g.slug, g.vendor, g.family, g.name, g.segment, g.vram_gb::text AS vram_gb, g.memory_type,
       g.memory_bandwidth_gbs::text AS memory_bandwidth_gbs, g.fp32_tflops::text AS fp32_tflops,
       g.fp16_tflops::text AS fp16_tflops, g.tdp_w, g.release_year,
       coalesce(m.active_listings, 0) AS active_listings, coalesce(m.sale_count, 0) AS sale_count,
       round(m.sale_min, 2)::text AS sale_min, round(m.sale_median, 2)::text AS sale_median,
       round(m.sale_p90, 2)::text AS sale_p90, coalesce(m.rental_count, 0) AS rental_count,
       round(m.rental_min, 4)::text AS rental_min, round(m.rental_median, 4)::text AS rental_median,
       round(m.sale_median / g.vram_gb, 2)::text AS price_per_gb,
       round(m.sale_median / nullif(coalesce(gb.fp32_tflops, g.fp32_tflops), 0), 2)::text AS price_per_fp32_tflop,
       gb.fp32_tflops::text AS fp32_tflops_measured,
       CASE WHEN gb.fp32_tflops IS NOT NULL THEN 'measured' WHEN g.fp32_tflops IS NOT NULL THEN 'catalog' END
         AS fp32_tflops_source,
       coalesce(gb.benchmarks, 0) AS benchmarks, gb.h2d_gbs::text AS h2d_gbs, gb.d2h_gbs::text AS d2h_gbs,
       gb.d2d_gbs::text AS d2d_gbs, gb.last_measured_at,
       round(m.sale_median / nullif(m.rental_median, 0), 1)::text AS break_even_hours,
       g.perf_index::text AS perf_index,
       round(g.perf_index * 100 / nullif(m.sale_median, 0), 4)::text AS sale_value,
       round(g.perf_index / nullif(m.rental_median, 0), 4)::text AS rental_value
FROM gpu_models g LEFT JOIN market m ON m.gpu_slug = g.slug
LEFT JOIN gpu_benchmark_summary gb ON gb.gpu_slug = g.slug
WHERE ($1::text IS NULL OR g.slug = $1)
  AND ($2::text IS NULL OR g.vendor = $2)
  AND ($3::boolean IS NOT TRUE OR m.active_listings > 0)
ORDER BY %s
