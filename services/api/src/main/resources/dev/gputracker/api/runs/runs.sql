-- Scrape runs, newest first, keyset-paginated on id, each with its sources' counts summed.
-- $1 bigint: the cursor, runs with a smaller id (Long.MAX_VALUE for the first page).
-- $2 int: the rows to read.

SELECT r.id, r.worker_id, r.mode, r.status, r.started_at, r.finished_at,
       coalesce(sum(rs.pages), 0)::int AS pages, coalesce(sum(rs.listings_seen), 0)::int AS listings_seen,
       coalesce(sum(rs.listings_new), 0)::int AS listings_new,
       coalesce(sum(rs.listings_updated), 0)::int AS listings_updated,
       coalesce(sum(rs.listings_removed), 0)::int AS listings_removed,
       coalesce(sum(rs.listings_rejected), 0)::int AS listings_rejected,
       coalesce(sum(rs.errors), 0)::int AS errors
FROM scrape_runs r LEFT JOIN scrape_run_sources rs ON rs.run_id = r.id
WHERE r.id < $1
GROUP BY r.id
ORDER BY r.id DESC
LIMIT $2
