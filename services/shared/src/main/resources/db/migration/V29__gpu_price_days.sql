-- A model's daily price series (/api/gpus/{slug}/history?bucket=day) without reading every listing of the model per
-- request: at 2,000,000 listings and 20,000,000 price points a 90-day series computed from the price points reads
-- about 5,700 listings and their spans per model and sorts half a million span-days (timeouts at 32 connections;
-- bench/scale.sh). The series is stored per model, day and kind, exact, as the route returns it:
--
-- * gpu_price_days holds, for each day from the summary's first day (gpu_price_days_state.since) to the day of its
--   last refresh, that day's bucket (the spans overlapping it: how many, the least price, the median), and one row
--   per kind on day 'infinity': the spans still open at the refresh (a listing not removed, at its latest price).
--   Every day after the refresh's day is that row until something is written: no price changes, no span ends.
-- * A write that can change a model's days (a price point, a removal or relisting, a listing's model, kind or GPU
--   count changed, rows deleted) adds a mark (model, first day it can change) in its own transaction, by statement
--   triggers. The route reads the summary only before a model's earliest mark and computes the days from it on from
--   the price points, so it is exact at every moment, in one snapshot.
-- * The worker refreshes the marked models at a run's end (gpu_price_days_refresh, in a REPEATABLE READ
--   transaction): from the earliest mark (or the last refresh's day, still open then) to today, and the open row;
--   it deletes the marks its snapshot sees, whose writes its figures include. Writers never wait for it and take
--   no lock on the summary: a mark's insert conflicts with nothing.
--
-- Days are the session time zone's (date_trunc), as in the route; the zone a summary was computed in is kept, and
-- a session in another zone reads the price points.
CREATE TABLE gpu_price_days (
    gpu_slug text NOT NULL,
    day      timestamptz NOT NULL,
    kind     text NOT NULL,
    samples  integer NOT NULL,
    min      numeric NOT NULL,
    median   numeric NOT NULL,
    PRIMARY KEY (gpu_slug, day, kind)
);

CREATE TABLE gpu_price_days_state (
    gpu_slug     text PRIMARY KEY,
    -- The summary's first day.
    since        timestamptz NOT NULL,
    -- When the summary was computed: the days up to this one's are stored, later ones are the open row.
    refreshed_at timestamptz NOT NULL,
    zone         text NOT NULL
);

-- What was written since a model's last refresh: its days from `day` on may have changed.
CREATE TABLE gpu_price_days_marks (
    gpu_slug text NOT NULL,
    day      timestamptz NOT NULL
);
CREATE INDEX gpu_price_days_marks_idx ON gpu_price_days_marks (gpu_slug, day);

-- The buckets of one model's daily series from day `start` to day `last` (inclusive), computed from the price
-- points: what the route's live part computes (ApiSql.GPU_HISTORY_DAYS), as rows of gpu_price_days. PL/pgSQL rather
-- than SQL so that the route does not inline it: inlined, the route was planned afresh on every request (0.6 ms,
-- three times its execution on a clean summary); as a function it is planned once per session. STABLE: it reads
-- the calling statement's snapshot.
CREATE FUNCTION gpu_price_days_compute(slug text, start timestamptz, last timestamptz)
    RETURNS TABLE (day timestamptz, kind text, samples integer, min numeric, median numeric)
    LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY
  WITH spans AS (
    SELECT l.kind, h.price_usd / l.gpu_count AS price, h.observed_at AS valid_from,
           coalesce(lead(h.observed_at) OVER (PARTITION BY h.listing_id ORDER BY h.observed_at), l.removed_at,
                    'infinity'::timestamptz) AS valid_to
    FROM listings l
    CROSS JOIN LATERAL (
      (SELECT p.listing_id, p.observed_at, p.price_usd FROM price_history p
       WHERE p.listing_id = l.id AND p.price_usd IS NOT NULL AND p.observed_at <= start
       ORDER BY p.observed_at DESC LIMIT 1)
      UNION ALL
      (SELECT p.listing_id, p.observed_at, p.price_usd FROM price_history p
       WHERE p.listing_id = l.id AND p.price_usd IS NOT NULL AND p.observed_at > start)
    ) h
    WHERE l.gpu_slug = slug
  )
  SELECT b.day, s.kind, count(*)::int, round(min(s.price), 4),
         round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.price::float8)::numeric, 4)
  FROM spans s
  CROSS JOIN LATERAL generate_series(greatest(date_trunc('day', s.valid_from), start),
                                     least(date_trunc('day', s.valid_to), last), interval '1 day') AS b(day)
  WHERE b.day < s.valid_to
  GROUP BY b.day, s.kind;
END;
$$;

-- Brings one model's summary up to date: from its earliest mark (or the last refresh's day, whose bucket was still
-- open then) to today, and the open spans' row; a model never summarized (or summarized in another time zone, or
-- given `from_day`) from `from_day` (default: its first price point). Call it in a REPEATABLE READ transaction: the marks
-- it reads and deletes and the rows it computes from are then one snapshot, and a write it cannot see keeps its mark.
CREATE FUNCTION gpu_price_days_refresh(slug text, from_day timestamptz DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
  st gpu_price_days_state;
  start timestamptz;
  at timestamptz;
BEGIN
  -- Refreshes of one model run one at a time (writers never take this lock).
  SELECT * INTO st FROM gpu_price_days_state s WHERE s.gpu_slug = slug FOR UPDATE;
  -- After the snapshot: every write it sees committed earlier.
  at := clock_timestamp();
  IF st.gpu_slug IS NULL OR st.zone IS DISTINCT FROM current_setting('TimeZone') OR from_day IS NOT NULL THEN
    start := date_trunc('day', coalesce(from_day,
               (SELECT min(h.observed_at) FROM listings l JOIN price_history h ON h.listing_id = l.id
                WHERE l.gpu_slug = slug AND h.price_usd IS NOT NULL), at));
    DELETE FROM gpu_price_days d WHERE d.gpu_slug = slug;
  ELSE
    start := greatest(least((SELECT min(m.day) FROM gpu_price_days_marks m WHERE m.gpu_slug = slug),
                            date_trunc('day', st.refreshed_at)), st.since);
    DELETE FROM gpu_price_days d WHERE d.gpu_slug = slug AND d.day >= start;
  END IF;
  DELETE FROM gpu_price_days_marks m WHERE m.gpu_slug = slug;
  INSERT INTO gpu_price_days (gpu_slug, day, kind, samples, min, median)
  SELECT slug, c.day, c.kind, c.samples, c.min, c.median
  FROM gpu_price_days_compute(slug, start, date_trunc('day', at)) c;
  -- The spans still open: each listing not removed, at its latest USD price.
  INSERT INTO gpu_price_days (gpu_slug, day, kind, samples, min, median)
  SELECT slug, 'infinity', l.kind, count(*)::int, round(min(h.price), 4),
         round(percentile_cont(0.5) WITHIN GROUP (ORDER BY h.price::float8)::numeric, 4)
  FROM listings l
  CROSS JOIN LATERAL (SELECT p.price_usd / l.gpu_count AS price FROM price_history p
                      WHERE p.listing_id = l.id AND p.price_usd IS NOT NULL
                      ORDER BY p.observed_at DESC LIMIT 1) h
  WHERE l.gpu_slug = slug AND l.removed_at IS NULL
  GROUP BY l.kind;
  INSERT INTO gpu_price_days_state AS s (gpu_slug, since, refreshed_at, zone)
  VALUES (slug, CASE WHEN st.gpu_slug IS NULL OR st.zone IS DISTINCT FROM current_setting('TimeZone')
                       OR from_day IS NOT NULL THEN start ELSE st.since END,
          at, current_setting('TimeZone'))
  ON CONFLICT (gpu_slug) DO UPDATE SET since = EXCLUDED.since, refreshed_at = EXCLUDED.refreshed_at,
                                       zone = EXCLUDED.zone;
END;
$$;

-- The writes that can change a model's days mark them with the first such day. A price point changes the days from
-- its own on (it starts a span and ends the one before it), or from the listing's removal on when it comes after it
-- (the last span ended at the removal and now ends at the new point); a removal or relisting the days from the
-- earlier of the two removal times (a relisted listing's last price holds again from its removal on, as the route
-- has always counted it); a listing's model, kind or GPU count, and any deleted or rewritten price point, all its
-- days (-infinity: the summary of both models is recomputed from its first day).
CREATE FUNCTION gpu_price_days_follow_points() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO gpu_price_days_marks (gpu_slug, day)
    SELECT l.gpu_slug, date_trunc('day', min(least(n.observed_at, l.removed_at)))
    FROM new_rows n JOIN listings l ON l.id = n.listing_id
    WHERE l.gpu_slug IS NOT NULL
    GROUP BY l.gpu_slug;
  ELSE
    INSERT INTO gpu_price_days_marks (gpu_slug, day)
    SELECT DISTINCT l.gpu_slug, '-infinity'::timestamptz
    FROM old_rows o JOIN listings l ON l.id = o.listing_id
    WHERE l.gpu_slug IS NOT NULL;
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION gpu_price_days_follow_listings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO gpu_price_days_marks (gpu_slug, day)
    SELECT x.slug, min(x.day) FROM (
      SELECT o.gpu_slug AS slug, '-infinity'::timestamptz AS day
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.gpu_slug, o.kind, o.gpu_count) IS DISTINCT FROM (n.gpu_slug, n.kind, n.gpu_count)
      UNION ALL
      SELECT n.gpu_slug, '-infinity'::timestamptz
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.gpu_slug, o.kind, o.gpu_count) IS DISTINCT FROM (n.gpu_slug, n.kind, n.gpu_count)
      UNION ALL
      SELECT n.gpu_slug, date_trunc('day', least(o.removed_at, n.removed_at))
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE o.removed_at IS DISTINCT FROM n.removed_at) x
    WHERE x.slug IS NOT NULL
    GROUP BY x.slug;
  ELSE
    INSERT INTO gpu_price_days_marks (gpu_slug, day)
    SELECT DISTINCT o.gpu_slug, '-infinity'::timestamptz FROM old_rows o
    WHERE o.gpu_slug IS NOT NULL;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER price_history_price_days_on_insert AFTER INSERT ON price_history REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION gpu_price_days_follow_points();
CREATE TRIGGER price_history_price_days_on_update AFTER UPDATE ON price_history REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION gpu_price_days_follow_points();
CREATE TRIGGER price_history_price_days_on_delete AFTER DELETE ON price_history REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION gpu_price_days_follow_points();
CREATE TRIGGER listings_price_days_on_update AFTER UPDATE ON listings REFERENCING OLD TABLE AS old_rows
    NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gpu_price_days_follow_listings();
CREATE TRIGGER listings_price_days_on_delete AFTER DELETE ON listings REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION gpu_price_days_follow_listings();

-- Every model with price points, summarized from its first.
SELECT gpu_price_days_refresh(slug) FROM gpu_models ORDER BY slug;
