-- One scrape run's result per source, by source name.
-- $1 bigint: the run's id.

SELECT s.name AS source, rs.status, rs.pages, rs.listings_seen, rs.listings_new, rs.listings_updated,
       rs.listings_removed, rs.listings_rejected, rs.errors, rs.error_message, rs.started_at, rs.finished_at,
       rs.duration_ms, rs.listings_read, rs.listings_priced, rs.listings_normalised, rs.pagination_depth,
       rs.rejected_by_reason::text AS rejected_by_reason, rs.health_reason
FROM scrape_run_sources rs JOIN sources s ON s.id = rs.source_id
WHERE rs.run_id = $1
ORDER BY s.name
