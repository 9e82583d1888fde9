-- mark_removed.sql: after a complete run of a source, what it no longer lists becomes inactive (never deleted), each
-- with a listing.removed event (its payload generated from the record: WorkerSql.LISTING_REMOVED).
--
-- The candidates are found by three range scans of (source, last run) over active listings (V28), before and after
-- this run and never written by a run, so the cost follows what is removed rather than the source's size. They are
-- gathered into an array first, so the update reads them by primary key (as a join, the planner may drive it from the
-- source's rows again); the outer condition is the definition, and is what a row changed meanwhile is checked against
-- again.
--
-- Parameters: $1 int the source's id; $2 bigint the run's id.
-- Returns one row: removed (int).
WITH removed AS (
  UPDATE listings SET active = false, removed_at = now(), updated_at = now()
  WHERE source_id = $1 AND active AND last_run_id IS DISTINCT FROM $2
    AND id = ANY (ARRAY(SELECT id FROM listings WHERE source_id = $1 AND active AND last_run_id < $2
                        UNION ALL
                        SELECT id FROM listings WHERE source_id = $1 AND active AND last_run_id > $2
                        UNION ALL
                        SELECT id FROM listings WHERE source_id = $1 AND active AND last_run_id IS NULL))
  RETURNING id, external_id, kind, title, gpu_slug, price, currency, price_usd, url, first_seen_at
),
events AS (
  /*outbox:listing.removed*/
  FROM removed r
  ORDER BY r.id
  RETURNING 1
)
SELECT (SELECT count(*) FROM removed)::int AS removed
