-- recover_abandoned.sql: run while holding the source's lock. A 'running' row of the source belongs to a process that
-- died (whoever ran it would hold the lock), so it is interrupted, and so is its run once no other source of it is
-- running.
--
-- Parameters: $1 int the source's id.
WITH abandoned AS (
  UPDATE scrape_run_sources SET status = 'interrupted', finished_at = now(),
    error_message = coalesce(error_message, 'the worker stopped without finishing (crash or kill)')
  WHERE source_id = $1 AND status = 'running'
  RETURNING run_id
)
UPDATE scrape_runs r SET status = 'interrupted', finished_at = now()
WHERE r.id IN (SELECT run_id FROM abandoned) AND r.status = 'running'
  AND NOT EXISTS (SELECT 1 FROM scrape_run_sources s
                  WHERE s.run_id = r.id AND s.status = 'running' AND s.source_id <> $1)
