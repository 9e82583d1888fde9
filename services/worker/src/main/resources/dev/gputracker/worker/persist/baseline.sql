-- baseline.sql: the source's recent trusted runs, newest first, that a new run's yield is compared with: those that
-- succeeded (and the run an operator accepted as the new baseline), from that accepted run on. Runs recorded before the
-- yield figures existed (read 0) are left out.
--
-- Parameters: $1 int the source's id; $2 bigint the run being judged (left out); $3 int how many runs at most.
SELECT rs.listings_read, rs.listings_priced, rs.listings_normalised, rs.pagination_depth
FROM scrape_run_sources rs JOIN sources s ON s.id = rs.source_id
WHERE rs.source_id = $1 AND rs.run_id <> $2 AND rs.listings_read > 0
  AND (rs.status = 'succeeded' OR rs.run_id = s.baseline_from_run)
  AND rs.run_id >= coalesce(s.baseline_from_run, 0)
ORDER BY rs.run_id DESC
LIMIT $3
