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
-- bands, not of listings. That computation is gpu_market_compute (V30), and its rows are stored per model
-- (gpu_market): this statement reads the stored rows of the models no write has marked since the worker's last
-- refresh and computes the marked ones, in one snapshot, so a cache miss with nothing written reads 350 rows instead
-- of computing them.
--
-- Template: %s the ORDER BY list (ApiSql.GPUS_BY_LISTINGS, ApiSql.GPUS_BY_VALUE).
-- $1 text: a model's slug, or null for every model.
-- $2 text: a vendor, or null for every vendor.
-- $3 boolean: true for only the models with active listings.

WITH marked AS (
  SELECT DISTINCT gpu_slug FROM gpu_market_marks WHERE $1::text IS NULL OR gpu_slug = $1
),
market AS (
  SELECT s.gpu_slug, s.active_listings, s.sale_count, s.sale_min, s.sale_median, s.sale_p90, s.rental_count,
         s.rental_min, s.rental_median
  FROM gpu_market s
  WHERE ($1::text IS NULL OR s.gpu_slug = $1) AND s.gpu_slug NOT IN (SELECT gpu_slug FROM marked)
  UNION ALL
  -- Called only when a model is marked.
  SELECT * FROM gpu_market_compute(ARRAY(SELECT gpu_slug FROM marked)) WHERE EXISTS (SELECT 1 FROM marked)
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
