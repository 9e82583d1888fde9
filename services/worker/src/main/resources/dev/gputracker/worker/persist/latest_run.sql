-- latest_run.sql: the source's latest finished run (its id, status and health reason), or nulls when it never
-- finished one; no row for an unknown source.
--
-- Parameters: $1 text the source's name.
SELECT s.id AS source_id, rs.run_id, rs.status, rs.health_reason
FROM sources s
LEFT JOIN LATERAL (SELECT run_id, status, health_reason FROM scrape_run_sources
                   WHERE source_id = s.id AND status NOT IN ('running', 'skipped')
                   ORDER BY run_id DESC LIMIT 1) rs ON true
WHERE s.name = $1
