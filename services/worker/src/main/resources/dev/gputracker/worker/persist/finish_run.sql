-- finish_run.sql: ends a run with its verdict and writes scrape_run.finished (WorkerSql.SCRAPE_RUN_FINISHED: the run and
-- each source's figures) in the same statement.
--
-- Parameters: $1 bigint the run's id; $2 text its status (succeeded, partial, failed, suspect, skipped, interrupted).
WITH run AS (
  UPDATE scrape_runs SET status = $2, finished_at = now() WHERE id = $1
  RETURNING id, worker_id, mode, status, started_at, finished_at
)
/*outbox:scrape_run.finished*/
FROM run
