-- prune_rejected.sql: one batch of rejected listings not seen for the retention, by rejected_last_seen_idx. One
-- bounded batch in a transaction of its own, so no pass holds many row locks for long; rows another transaction holds
-- (a page write touching a reject) are skipped, not waited for, and go in a later pass.
--
-- Parameters: $1 float8 the retention (seconds); $2 int rows at most.
DELETE FROM rejected_listings WHERE id IN (
  SELECT id FROM rejected_listings WHERE last_seen_at < now() - make_interval(secs => $1)
  LIMIT $2 FOR UPDATE SKIP LOCKED)
