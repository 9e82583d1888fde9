-- The market figures of /api/gpus (per model: active priced listings, sales' min, median and 90th percentile per
-- GPU, rentals' min and median per GPU-hour) without aggregating every active listing: at 2,000,000 listings the
-- aggregate sorted 1.8 million prices (seconds; bench/scale.sh). Exact, from two structures kept in the writing
-- transaction:
-- * each listing's price per GPU and its price band (stored, generated: they can never disagree with the price), and
--   an index of active priced listings by (model, kind, band, price per GPU);
-- * gpu_market_bands: how many such listings each (model, kind, band) holds, kept by statement triggers from the
--   rows a statement inserted, updated or deleted (one upsert per statement, not per row).
-- A percentile's rank is found in the band counts (a few dozen rows per model), then read in its band of the index
-- (OFFSET within one band: a hundred entries at 2,000,000 listings), so its cost depends on the bands, not on the
-- market's size. The band is floor(64 * fourth root of the price per GPU): IEEE square roots are correctly rounded,
-- hence monotonic, so ordering by band then price is ordering by price, on every platform.
CREATE FUNCTION market_band(price_per_gpu numeric) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN price_per_gpu <= 0 THEN 0 ELSE floor(sqrt(sqrt(price_per_gpu::float8)) * 64)::integer END $$;

ALTER TABLE listings
    ADD COLUMN price_per_gpu_usd numeric GENERATED ALWAYS AS (price_usd / gpu_count) STORED,
    ADD COLUMN market_band integer GENERATED ALWAYS AS (market_band(price_usd / gpu_count)) STORED;

CREATE INDEX listings_market_idx ON listings (gpu_slug, kind, market_band, price_per_gpu_usd)
    WHERE active AND price_usd IS NOT NULL AND gpu_slug IS NOT NULL;

CREATE TABLE gpu_market_bands (
    gpu_slug text NOT NULL,
    kind     text NOT NULL,
    band     integer NOT NULL,
    -- Never negative; no CHECK says so, because an upsert's proposed row (a statement's net change, which may be
    -- negative) is checked before its conflict turns it into an addition.
    listings integer NOT NULL,
    PRIMARY KEY (gpu_slug, kind, band)
);

-- Counts every active priced listing of a model afresh (after a bulk load with triggers off; the migration's start).
CREATE FUNCTION gpu_market_bands_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM gpu_market_bands;
  INSERT INTO gpu_market_bands (gpu_slug, kind, band, listings)
  SELECT gpu_slug, kind, market_band, count(*) FROM listings
  WHERE active AND price_usd IS NOT NULL AND gpu_slug IS NOT NULL
  GROUP BY 1, 2, 3;
$$;

SELECT gpu_market_bands_rebuild();

-- One function for the three statement triggers: a listing counts when it is active, priced and of a model; the
-- statement's old rows leave their band, its new rows enter theirs. Bands are upserted in key order, so two
-- concurrent writers lock shared bands in the same order.
CREATE FUNCTION gpu_market_bands_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO gpu_market_bands AS b (gpu_slug, kind, band, listings)
    SELECT gpu_slug, kind, market_band, count(*) FROM new_rows
    WHERE active AND price_usd IS NOT NULL AND gpu_slug IS NOT NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (gpu_slug, kind, band) DO UPDATE SET listings = b.listings + EXCLUDED.listings;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO gpu_market_bands AS b (gpu_slug, kind, band, listings)
    SELECT gpu_slug, kind, market_band, sum(d) FROM (
      SELECT gpu_slug, kind, market_band, 1 AS d FROM new_rows
      WHERE active AND price_usd IS NOT NULL AND gpu_slug IS NOT NULL
      UNION ALL
      SELECT gpu_slug, kind, market_band, -1 FROM old_rows
      WHERE active AND price_usd IS NOT NULL AND gpu_slug IS NOT NULL) x
    GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (gpu_slug, kind, band) DO UPDATE SET listings = b.listings + EXCLUDED.listings;
  ELSE
    UPDATE gpu_market_bands b SET listings = b.listings - o.n
    FROM (SELECT gpu_slug, kind, market_band, count(*) AS n FROM old_rows
          WHERE active AND price_usd IS NOT NULL AND gpu_slug IS NOT NULL GROUP BY 1, 2, 3) o
    WHERE b.gpu_slug = o.gpu_slug AND b.kind = o.kind AND b.band = o.market_band;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER listings_market_on_insert AFTER INSERT ON listings REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION gpu_market_bands_follow();
CREATE TRIGGER listings_market_on_update AFTER UPDATE ON listings REFERENCING OLD TABLE AS old_rows
    NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gpu_market_bands_follow();
CREATE TRIGGER listings_market_on_delete AFTER DELETE ON listings REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION gpu_market_bands_follow();
