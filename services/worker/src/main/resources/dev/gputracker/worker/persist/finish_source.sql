-- finish_source.sql: a source's part of a run, with its final figures (inserted when the source never started, for a
-- skipped source).
--
-- Parameters: $1 bigint the run's id; $2 int the source's id; $3 text its status; $4 int pages; $5 int listings seen;
-- $6 int new; $7 int updated; $8 int removed; $9 int errors; $10 text the error message; $11 bigint the duration in
-- milliseconds; $12 int rejected; $13 text the health reason.
INSERT INTO scrape_run_sources (run_id, source_id, status, pages, listings_seen, listings_new,
  listings_updated, listings_removed, errors, error_message, finished_at, duration_ms, listings_rejected,
  health_reason)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), $11, $12, $13)
ON CONFLICT (run_id, source_id) DO UPDATE SET status = EXCLUDED.status, pages = EXCLUDED.pages,
  listings_seen = EXCLUDED.listings_seen, listings_new = EXCLUDED.listings_new,
  listings_updated = EXCLUDED.listings_updated, listings_removed = EXCLUDED.listings_removed,
  errors = EXCLUDED.errors, error_message = EXCLUDED.error_message, finished_at = now(),
  duration_ms = EXCLUDED.duration_ms, listings_rejected = EXCLUDED.listings_rejected,
  health_reason = EXCLUDED.health_reason
