-- Each source with its listing counts, its rejected listings by reason (a JSON object), its latest
-- run, and the latest run that read every page (trusted or suspect: what its health was judged on).
-- No parameters.

SELECT s.id, s.name, s.adapter, s.base_url, s.enabled,
       (SELECT count(*) FROM listings l WHERE l.source_id = s.id AND l.active)::int AS active_listings,
       (SELECT count(*) FROM listings l WHERE l.source_id = s.id)::int AS total_listings,
       (SELECT coalesce(json_object_agg(reason, n), '{}'::json)::text FROM
          (SELECT reason, count(*) AS n FROM rejected_listings r WHERE r.source_id = s.id GROUP BY reason) x)
         AS rejected,
       last.run_id, last.status AS last_status, last.started_at AS last_started_at,
       last.finished_at AS last_finished_at, last.listings_seen AS last_seen, last.errors AS last_errors,
       last.error_message AS last_error,
       s.health, s.health_reason, s.health_changed_at,
       complete.run_id AS complete_run_id, complete.status AS complete_status,
       complete.finished_at AS complete_finished_at, complete.pages AS complete_pages,
       complete.listings_read AS complete_read, complete.listings_priced AS complete_priced,
       complete.listings_normalised AS complete_normalised, complete.listings_removed AS complete_removed,
       complete.pagination_depth AS complete_depth
FROM sources s
LEFT JOIN LATERAL (SELECT * FROM scrape_run_sources rs WHERE rs.source_id = s.id
                   ORDER BY rs.run_id DESC LIMIT 1) last ON true
-- The latest run that read every page (trusted or suspect): what the source's health was judged on.
LEFT JOIN LATERAL (SELECT * FROM scrape_run_sources rs WHERE rs.source_id = s.id
                     AND rs.status IN ('succeeded', 'suspect')
                   ORDER BY rs.run_id DESC LIMIT 1) complete ON true
ORDER BY s.name
