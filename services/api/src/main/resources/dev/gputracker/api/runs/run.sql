-- One scrape run.
-- $1 bigint: the run's id.

SELECT id, worker_id, mode, status, started_at, finished_at FROM scrape_runs WHERE id = $1
