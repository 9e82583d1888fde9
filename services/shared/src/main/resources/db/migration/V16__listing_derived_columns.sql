-- A listing carries what the listing search used to join and compute for every row it returned: its source's name,
-- its model's vendor and performance index, and the three figures it is compared by (price per GB of VRAM, price per
-- FP32 TFLOP, value). Measured at 200,000 listings, the joins and the per-row numeric divisions were a third of the
-- search's whole database time; the figure orders (sort=price_per_gb, price_per_tflop, value) had no index at all
-- and sorted every active listing (0.15-0.65 s). Triggers keep the copies exact, in the same transaction as the
-- change they follow:
-- * a listing's insert (unless the writer computed them: the worker's page upsert does), and an update of anything
--   the copies are made from (BEFORE: the row is written once);
-- * a change of a model's catalog figures, including its measured FP32 (V14's trigger writes that to gpu_models);
-- * a source's rename.

-- The figures, defined once; the triggers below and the worker's page upsert are their only callers. The same
-- expressions the search computed before, so the values (and the cursors that carry them) are unchanged.
CREATE FUNCTION listing_price_per_gb(price_usd numeric, gpu_count integer, vram_gb numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT round(price_usd / gpu_count / nullif(vram_gb, 0), 4) $$;

CREATE FUNCTION listing_price_per_tflop(price_usd numeric, gpu_count integer, fp32_tflops numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT round(price_usd / gpu_count / nullif(fp32_tflops, 0), 4) $$;

-- The model's benchmark-hierarchy index per 100 USD of a sale price, or per USD of an hourly rental price.
CREATE FUNCTION listing_value(perf_index numeric, gpu_count integer, kind text, price_usd numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT round(perf_index * gpu_count * (CASE WHEN kind = 'sale' THEN 100 ELSE 1 END)
                       / nullif(price_usd, 0), 4) $$;

ALTER TABLE listings
    ADD COLUMN source_name     text,
    ADD COLUMN vendor          text,
    ADD COLUMN perf_index      numeric(6, 1),
    ADD COLUMN price_per_gb    numeric,
    ADD COLUMN price_per_tflop numeric,
    ADD COLUMN value           numeric;

UPDATE listings l SET source_name = d.source_name, vendor = d.vendor, perf_index = d.perf_index,
    price_per_gb = d.price_per_gb, price_per_tflop = d.price_per_tflop, value = d.value
FROM (SELECT x.id, s.name AS source_name, g.vendor, g.perf_index,
             listing_price_per_gb(x.price_usd, x.gpu_count, coalesce(x.vram_gb, g.vram_gb)) AS price_per_gb,
             listing_price_per_tflop(x.price_usd, x.gpu_count, coalesce(g.measured_fp32_tflops, g.fp32_tflops))
               AS price_per_tflop,
             listing_value(g.perf_index, x.gpu_count, x.kind, x.price_usd) AS value
      FROM listings x
      JOIN sources s ON s.id = x.source_id
      LEFT JOIN gpu_models g ON g.slug = x.gpu_slug) d
WHERE d.id = l.id;

CREATE FUNCTION listings_derive() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  g gpu_models%ROWTYPE;
BEGIN
  IF TG_OP = 'INSERT' OR NEW.source_id <> OLD.source_id THEN
    SELECT name INTO NEW.source_name FROM sources WHERE id = NEW.source_id;
  END IF;
  -- No model (or none named): every field of g stays null, as the search's outer join gave.
  SELECT * INTO g FROM gpu_models WHERE slug = NEW.gpu_slug;
  NEW.vendor := g.vendor;
  NEW.perf_index := g.perf_index;
  NEW.price_per_gb := listing_price_per_gb(NEW.price_usd, NEW.gpu_count, coalesce(NEW.vram_gb, g.vram_gb));
  NEW.price_per_tflop := listing_price_per_tflop(NEW.price_usd, NEW.gpu_count,
      coalesce(g.measured_fp32_tflops, g.fp32_tflops));
  NEW.value := listing_value(g.perf_index, NEW.gpu_count, NEW.kind, NEW.price_usd);
  RETURN NEW;
END;
$$;

-- Only for rows written without their copies: the worker's page upsert computes them for the whole page in its own
-- statement, with the functions above (a per-row PL/pgSQL call cost its upserts about 30 %: it fired for every
-- proposed row, also those that found their listing and only update it). Other writers
-- (seeds, tests, a hand-written INSERT) leave source_name null and get the trigger.
CREATE TRIGGER listings_derive_on_insert BEFORE INSERT ON listings
    FOR EACH ROW WHEN (NEW.source_name IS NULL) EXECUTE FUNCTION listings_derive();
-- The worker's upsert names every column in its SET list, and most of its updates only move last_seen_at: the WHEN
-- clause is evaluated without calling the function, so those updates cost nothing more.
CREATE TRIGGER listings_derive_on_update BEFORE UPDATE OF source_id, gpu_slug, price_usd, gpu_count, vram_gb, kind
    ON listings FOR EACH ROW
    WHEN (NEW.source_id <> OLD.source_id OR NEW.gpu_slug IS DISTINCT FROM OLD.gpu_slug
          OR NEW.price_usd IS DISTINCT FROM OLD.price_usd OR NEW.gpu_count <> OLD.gpu_count
          OR NEW.vram_gb IS DISTINCT FROM OLD.vram_gb OR NEW.kind <> OLD.kind)
    EXECUTE FUNCTION listings_derive();

-- Sets the copies directly (not through the listing's inputs), so listings_derive_on_update does not fire again.
CREATE FUNCTION listings_follow_gpu_model() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE listings l SET vendor = NEW.vendor, perf_index = NEW.perf_index,
      price_per_gb = listing_price_per_gb(l.price_usd, l.gpu_count, coalesce(l.vram_gb, NEW.vram_gb)),
      price_per_tflop = listing_price_per_tflop(l.price_usd, l.gpu_count,
          coalesce(NEW.measured_fp32_tflops, NEW.fp32_tflops)),
      value = listing_value(NEW.perf_index, l.gpu_count, l.kind, l.price_usd)
  WHERE l.gpu_slug = NEW.slug;
  RETURN NULL;
END;
$$;

-- Re-seeding the catalog rewrites every model with the values it has: only a real change touches listings.
CREATE TRIGGER gpu_models_to_listings
    AFTER UPDATE OF vendor, vram_gb, fp32_tflops, measured_fp32_tflops, perf_index ON gpu_models FOR EACH ROW
    WHEN (NEW.vendor <> OLD.vendor OR NEW.vram_gb IS DISTINCT FROM OLD.vram_gb
          OR NEW.fp32_tflops IS DISTINCT FROM OLD.fp32_tflops
          OR NEW.measured_fp32_tflops IS DISTINCT FROM OLD.measured_fp32_tflops
          OR NEW.perf_index IS DISTINCT FROM OLD.perf_index)
    EXECUTE FUNCTION listings_follow_gpu_model();

CREATE FUNCTION listings_follow_source_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE listings SET source_name = NEW.name WHERE source_id = NEW.id;
  RETURN NULL;
END;
$$;

CREATE TRIGGER sources_name_to_listings AFTER UPDATE OF name ON sources FOR EACH ROW
    WHEN (NEW.name <> OLD.name) EXECUTE FUNCTION listings_follow_source_name();

-- A search by GPU and price ceiling, newest first (the most asked): the ceiling is now an index condition, so the
-- scan skips the listings above it in the index instead of fetching each from the heap to reject it (at 200,000
-- listings, 51 heap fetches for a page instead of about 220).
DROP INDEX listings_gpu_last_seen_idx;
CREATE INDEX listings_gpu_last_seen_idx ON listings (gpu_slug, last_seen_at DESC, id DESC, price_usd) WHERE active;

-- The figure orders over all active listings walk an index now (the value order always has a kind: without one
-- the API ranks sales).
CREATE INDEX listings_price_per_gb_idx ON listings (price_per_gb, id) WHERE active AND price_per_gb IS NOT NULL;
CREATE INDEX listings_price_per_tflop_idx ON listings (price_per_tflop, id)
    WHERE active AND price_per_tflop IS NOT NULL;
CREATE INDEX listings_value_idx ON listings (kind, value DESC, id DESC) WHERE active AND value IS NOT NULL;
