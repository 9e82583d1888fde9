-- The market figures of /api/gpus per model, stored (gpu_market) instead of computed from the band counts on every
-- cache miss: at 2,000,000 listings V27's computation still took 135-280 ms for the whole catalog (windows over
-- 19,000 band rows and 2,300 reads within a band), most of it for models nothing had changed.
--
-- * gpu_market_compute(slugs) is V27's computation (formerly ApiSql.GPUS's own CTEs), for the given models (null:
--   all): exact, the aggregate's to the last digit (MarketSummaryTest). PL/pgSQL, so its plan is made once per
--   session: as a SQL function that PostgreSQL does not inline, its body was planned on every call (2.5 ms).
-- * gpu_market holds its rows as of the last refresh; a write that changes the multiset of a model's active priced
--   prices per GPU (per kind) inserts a mark (gpu_market_marks) from a statement trigger in its own transaction.
-- * /api/gpus reads, in one statement (one snapshot), the stored rows of the unmarked models and computes the
--   marked ones, so it is exact at every moment; the worker refreshes the marked models at a run's end
--   (gpu_market_refresh, in a REPEATABLE READ transaction: it deletes the marks its snapshot sees, whose writes its
--   rows include). No lock is taken by writers.
CREATE FUNCTION gpu_market_compute(slugs text[])
    RETURNS TABLE (gpu_slug text, active_listings integer, sale_count integer, sale_min numeric, sale_median numeric,
                   sale_p90 numeric, rental_count integer, rental_min numeric, rental_median numeric)
    LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH bands AS (
          SELECT gpu_slug, kind, band, listings,
                 sum(listings) OVER (PARTITION BY gpu_slug, kind ORDER BY band) - listings AS before,
                 sum(listings) OVER (PARTITION BY gpu_slug, kind) AS total
          FROM gpu_market_bands
          WHERE listings > 0 AND (slugs IS NULL OR gpu_slug = ANY (slugs))
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
    SELECT * FROM market;
END;
$$;

CREATE TABLE gpu_market (
    gpu_slug        text PRIMARY KEY,
    active_listings integer NOT NULL,
    sale_count      integer NOT NULL,
    sale_min        numeric,
    sale_median     numeric,
    sale_p90        numeric,
    rental_count    integer NOT NULL,
    rental_min      numeric,
    rental_median   numeric
);

CREATE TABLE gpu_market_marks (
    gpu_slug text NOT NULL
);
CREATE INDEX gpu_market_marks_idx ON gpu_market_marks (gpu_slug);

-- Brings the stored figures of every marked model up to date (a REPEATABLE READ transaction: the marks it deletes
-- are those its snapshot sees); returns how many models. A bulk load with triggers off ends with
-- gpu_market_rebuild().
CREATE FUNCTION gpu_market_refresh() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  marked text[];
BEGIN
  marked := ARRAY(SELECT DISTINCT m.gpu_slug FROM gpu_market_marks m ORDER BY 1);
  DELETE FROM gpu_market g WHERE g.gpu_slug = ANY (marked);
  INSERT INTO gpu_market SELECT * FROM gpu_market_compute(marked);
  DELETE FROM gpu_market_marks m WHERE m.gpu_slug = ANY (marked);
  RETURN cardinality(marked);
END;
$$;

CREATE FUNCTION gpu_market_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM gpu_market_marks;
  DELETE FROM gpu_market;
  INSERT INTO gpu_market SELECT * FROM gpu_market_compute(NULL);
$$;

-- A model is marked when the multiset of its active priced listings' prices per GPU, per kind, changed: rows that
-- left it and rows that entered it are netted per (model, kind, price), so an update that changed nothing of it
-- (a listing seen again) marks nothing.
CREATE FUNCTION gpu_market_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO gpu_market_marks (gpu_slug)
    SELECT DISTINCT n.gpu_slug FROM new_rows n
    WHERE n.active AND n.price_usd IS NOT NULL AND n.gpu_slug IS NOT NULL;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO gpu_market_marks (gpu_slug)
    SELECT DISTINCT x.gpu_slug FROM (
      SELECT gpu_slug, kind, price_per_gpu_usd, 1 AS d FROM new_rows
      WHERE active AND price_usd IS NOT NULL AND gpu_slug IS NOT NULL
      UNION ALL
      SELECT gpu_slug, kind, price_per_gpu_usd, -1 FROM old_rows
      WHERE active AND price_usd IS NOT NULL AND gpu_slug IS NOT NULL) x
    GROUP BY x.gpu_slug, x.kind, x.price_per_gpu_usd HAVING sum(x.d) <> 0;
  ELSE
    INSERT INTO gpu_market_marks (gpu_slug)
    SELECT DISTINCT o.gpu_slug FROM old_rows o
    WHERE o.active AND o.price_usd IS NOT NULL AND o.gpu_slug IS NOT NULL;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER listings_market_mark_on_insert AFTER INSERT ON listings REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION gpu_market_mark();
CREATE TRIGGER listings_market_mark_on_update AFTER UPDATE ON listings REFERENCING OLD TABLE AS old_rows
    NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gpu_market_mark();
CREATE TRIGGER listings_market_mark_on_delete AFTER DELETE ON listings REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION gpu_market_mark();

SELECT gpu_market_rebuild();
