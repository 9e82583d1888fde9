-- write_page.sql: one page of a source's listings in one statement (one round trip, one transaction; a crash leaves
-- the whole page or none of it). Upserts the accepted listings, appends price history for first sightings and real
-- price changes, writes their outbox events, keeps the page's rejected listings with their reasons (a listing accepted
-- now leaves rejected_listings), and adds the page's figures to the source's row of the run.
--
-- The upsert itself records, in price_changed_at, whether this write changed the price (a first sighting counts), so
-- the history insert reads the upsert's own output: no join, and the cost stays linear in the page size. Duplicate ids
-- within the page keep the last occurrence. updated_at moves only when something a user can see changed.
--
-- Parameters, bound by PageBatch from the page's records: rows travel as one array per column, unnested here (one
-- cheap statement per page); decimals travel as exact text and are cast to numeric here.
--   $1       int      the source's id
--   $2       text     the listing kind (sale, rental)
--   $3..$16           the accepted listings, one array each: external_id text[], title text[], gpu_slug text[],
--                     price text[], currency text[], price_unit text[], price_usd text[], gpu_count int[],
--                     vram_gb text[], condition text[], location text[], seller text[], url text[], sponsored boolean[]
--   $17      bigint   the run's id
--   $18..$26          the rejected listings, one array each: external_id text[], title text[], reason text[],
--                     detail text[], gpu_slug text[], price text[], currency text[], price_usd text[], url text[]
--   $27..$30 int      listings the adapter read on the page, of them priced, of them matched to a model, and the
--                     page's depth in its pagination chain
-- Returns one row: seen, inserted, updated, history, rejected, events (int).
WITH input AS (
  SELECT DISTINCT ON (external_id) external_id, title, gpu_slug, price, currency, price_unit, price_usd,
         gpu_count, vram_gb, condition, location, seller, url, sponsored
  FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]::numeric[], $7::text[], $8::text[],
              $9::text[]::numeric[], $10::int[], $11::text[]::numeric[], $12::text[], $13::text[],
              $14::text[], $15::text[], $16::boolean[])
       WITH ORDINALITY AS t(external_id, title, gpu_slug, price, currency, price_unit, price_usd, gpu_count,
                            vram_gb, condition, location, seller, url, sponsored, ord)
  ORDER BY external_id, ord DESC
),
previous AS (
  -- The rows as they were before this statement (a CTE sees the statement's starting snapshot): the old
  -- price for listing.price_changed, and whether a listing comes back from removal. One probe of the unique
  -- index per id of the page: a join or "= ANY" against the source's rows is planned, whenever the cached
  -- plan predates the source's growth (a new source, a young table), as a scan of every listing of the
  -- source, per page, and a page's write then grew with the source (40 ms at 5,000 listings). LIMIT 1 keeps
  -- the planner from flattening the probe back into such a join, and the ORDER BY of the unique index's
  -- columns from preferring another index that starts with source_id when the statistics cannot tell them
  -- apart.
  SELECT l.external_id, l.price, l.currency, l.price_usd, l.active
  FROM input i
  CROSS JOIN LATERAL (SELECT l.external_id, l.price, l.currency, l.price_usd, l.active FROM listings l
                      WHERE l.source_id = $1 AND l.external_id = i.external_id
                      ORDER BY l.source_id, l.external_id LIMIT 1) l
),
up AS (
  -- The listing's copies (V16: source name, vendor, performance index, figures) are computed here for the
  -- whole page at once, with the same SQL functions the triggers use; the insert trigger then skips these rows
  -- (it runs only for rows written without them): a per-row PL/pgSQL trigger, which fires for every proposed
  -- row, also those that find their listing, cost the upsert about 30 %.
  INSERT INTO listings AS l (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,
    price_usd, gpu_count, vram_gb, condition, location, seller, url, sponsored, first_seen_at, last_seen_at,
    active, removed_at, updated_at, price_changed_at, last_run_id, source_name, vendor, perf_index,
    price_per_gb, price_per_tflop, value)
  SELECT $1, i.external_id, $2, i.title, i.gpu_slug, i.price, i.currency, i.price_unit, i.price_usd,
         i.gpu_count, i.vram_gb, i.condition, i.location, i.seller, i.url, i.sponsored, now(), now(), true,
         NULL, now(), now(), $17, (SELECT name FROM sources WHERE id = $1), g.vendor, g.perf_index,
         listing_price_per_gb(i.price_usd, i.gpu_count, coalesce(i.vram_gb, g.vram_gb)),
         listing_price_per_tflop(i.price_usd, i.gpu_count, coalesce(g.measured_fp32_tflops, g.fp32_tflops)),
         listing_value(g.perf_index, i.gpu_count, $2::text, i.price_usd)
  FROM input i
  LEFT JOIN gpu_models g ON g.slug = i.gpu_slug
  ON CONFLICT (source_id, external_id) DO UPDATE SET
    kind = EXCLUDED.kind, title = EXCLUDED.title, gpu_slug = EXCLUDED.gpu_slug, price = EXCLUDED.price,
    currency = EXCLUDED.currency, price_unit = EXCLUDED.price_unit, price_usd = EXCLUDED.price_usd,
    gpu_count = EXCLUDED.gpu_count, vram_gb = EXCLUDED.vram_gb, condition = EXCLUDED.condition,
    location = EXCLUDED.location, seller = EXCLUDED.seller, url = EXCLUDED.url, sponsored = EXCLUDED.sponsored,
    last_seen_at = EXCLUDED.last_seen_at, active = true, removed_at = NULL, last_run_id = EXCLUDED.last_run_id,
    price_changed_at = CASE
      WHEN (l.price, l.currency) IS DISTINCT FROM (EXCLUDED.price, EXCLUDED.currency)
      THEN EXCLUDED.price_changed_at ELSE l.price_changed_at END,
    updated_at = CASE
      WHEN NOT l.active
        OR (l.title, l.gpu_slug, l.price, l.currency, l.price_unit, l.gpu_count, l.vram_gb, l.condition,
            l.location, l.seller, l.url, l.sponsored)
           IS DISTINCT FROM
           (EXCLUDED.title, EXCLUDED.gpu_slug, EXCLUDED.price, EXCLUDED.currency, EXCLUDED.price_unit,
            EXCLUDED.gpu_count, EXCLUDED.vram_gb, EXCLUDED.condition, EXCLUDED.location, EXCLUDED.seller,
            EXCLUDED.url, EXCLUDED.sponsored)
      THEN EXCLUDED.updated_at ELSE l.updated_at END
  -- Skips rows this run already wrote that have not changed since (a listing on two pages of one run, a page
  -- fetched twice): no new row version, no index entries, no WAL. A row first seen in this run is always
  -- written, as that is what records the sighting (last_run_id decides what the run removes).
  WHERE l.last_run_id IS DISTINCT FROM EXCLUDED.last_run_id OR NOT l.active
     OR (l.kind, l.title, l.gpu_slug, l.price, l.currency, l.price_unit, l.price_usd, l.gpu_count, l.vram_gb,
         l.condition, l.location, l.seller, l.url, l.sponsored)
        IS DISTINCT FROM
        (EXCLUDED.kind, EXCLUDED.title, EXCLUDED.gpu_slug, EXCLUDED.price, EXCLUDED.currency,
         EXCLUDED.price_unit, EXCLUDED.price_usd, EXCLUDED.gpu_count, EXCLUDED.vram_gb, EXCLUDED.condition,
         EXCLUDED.location, EXCLUDED.seller, EXCLUDED.url, EXCLUDED.sponsored)
  RETURNING l.id, l.external_id, l.title, l.gpu_slug, l.price, l.currency, l.price_unit, l.price_usd,
            l.gpu_count, l.url, l.source_name, (xmax = 0) AS inserted, (l.updated_at = now()) AS changed,
            (l.price_changed_at = now()) AS price_changed
),
events AS (
  -- In the same statement, hence the same transaction, as the change: the transactional outbox. A first sighting or a
  -- relisting is listing.created, any other price change listing.price_changed; both payloads are generated from their
  -- records (WorkerSql.LISTING_CREATED, WorkerSql.LISTING_PRICE_CHANGED). One insert for both keeps one firing of the
  -- outbox's statement trigger per page.
  /*outbox:listing.created|listing.price_changed*/
  FROM up u LEFT JOIN previous p ON p.external_id = u.external_id
  WHERE u.inserted OR u.price_changed OR NOT p.active
  ORDER BY u.id
  RETURNING 1
),
hist AS (
  INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd, run_id)
  SELECT id, now(), price, currency, price_usd, $17 FROM up WHERE price_changed
  ON CONFLICT DO NOTHING
  RETURNING 1
),
accepted_now AS (
  -- By id, found with one probe of the unique index per id of the page, as in previous (here the index on
  -- (source_id, reason) was chosen without the ORDER BY, and read all the source's rejected rows per id).
  DELETE FROM rejected_listings r
  WHERE r.id IN (SELECT x.id FROM input i CROSS JOIN LATERAL (SELECT x.id FROM rejected_listings x
                   WHERE x.source_id = $1 AND x.external_id = i.external_id
                   ORDER BY x.source_id, x.external_id LIMIT 1) x)
),
rejected_input AS (
  SELECT DISTINCT ON (external_id) external_id, title, reason, detail, gpu_slug, price, currency, price_usd, url
  FROM unnest($18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[]::numeric[],
              $24::text[], $25::text[]::numeric[], $26::text[])
       WITH ORDINALITY AS t(external_id, title, reason, detail, gpu_slug, price, currency, price_usd, url, ord)
  WHERE NOT EXISTS (SELECT 1 FROM input i WHERE i.external_id = t.external_id)
  ORDER BY external_id, ord DESC
),
rejected AS (
  INSERT INTO rejected_listings AS r (source_id, external_id, title, reason, detail, gpu_slug, price, currency,
    price_usd, url, first_seen_at, last_seen_at, last_run_id)
  SELECT $1, external_id, title, reason, detail, gpu_slug, price, currency, price_usd, url, now(), now(), $17
  FROM rejected_input
  ON CONFLICT (source_id, external_id) DO UPDATE SET title = EXCLUDED.title, reason = EXCLUDED.reason,
    detail = EXCLUDED.detail, gpu_slug = EXCLUDED.gpu_slug, price = EXCLUDED.price,
    currency = EXCLUDED.currency, price_usd = EXCLUDED.price_usd, url = EXCLUDED.url,
    last_seen_at = EXCLUDED.last_seen_at, last_run_id = EXCLUDED.last_run_id
  -- As for listings: a rejected item this run already recorded, unchanged, is not rewritten.
  WHERE r.last_run_id IS DISTINCT FROM EXCLUDED.last_run_id
     OR (r.title, r.reason, r.detail, r.gpu_slug, r.price, r.currency, r.price_usd, r.url)
        IS DISTINCT FROM
        (EXCLUDED.title, EXCLUDED.reason, EXCLUDED.detail, EXCLUDED.gpu_slug, EXCLUDED.price,
         EXCLUDED.currency, EXCLUDED.price_usd, EXCLUDED.url)
  RETURNING 1
),
run_figures AS (
  -- The source's figures in this run move with each page written, in the page's transaction: a run killed
  -- mid-way shows exactly what it wrote. ($27 listings read, $28 of them priced, $29 matched to a model, $30
  -- the page's depth in its pagination chain.)
  UPDATE scrape_run_sources f SET pages = f.pages + 1,
    listings_seen = f.listings_seen + (SELECT count(*) FROM input),
    listings_new = f.listings_new + (SELECT count(*) FROM up WHERE inserted),
    listings_updated = f.listings_updated + (SELECT count(*) FROM up WHERE changed AND NOT inserted),
    listings_rejected = f.listings_rejected + (SELECT count(*) FROM rejected_input),
    listings_read = f.listings_read + $27, listings_priced = f.listings_priced + $28,
    listings_normalised = f.listings_normalised + $29, pagination_depth = greatest(f.pagination_depth, $30),
    rejected_by_reason = (SELECT coalesce(jsonb_object_agg(k, n), '{}'::jsonb)
                          FROM (SELECT k, sum(n)::int AS n
                                FROM (SELECT key AS k, value::int AS n FROM jsonb_each_text(f.rejected_by_reason)
                                      UNION ALL
                                      SELECT reason, count(*)::int FROM rejected_input GROUP BY reason) x
                                GROUP BY k) y)
  WHERE f.run_id = $17 AND f.source_id = $1
  RETURNING 1
)
-- Counted from the page's input, not from the rows written: an unchanged row skipped above was still seen.
SELECT (SELECT count(*) FROM input)::int AS seen,
       (SELECT count(*) FROM up WHERE inserted)::int AS inserted,
       (SELECT count(*) FROM up WHERE changed AND NOT inserted)::int AS updated,
       (SELECT count(*) FROM hist)::int AS history,
       (SELECT count(*) FROM rejected_input)::int AS rejected,
       (SELECT count(*) FROM events)::int AS events
