-- prune_published.sql: one batch of outbox rows published (at or before the relay's cursor) and older than the
-- retention (see BatchedDelete); rows another transaction holds are skipped, not waited for.
--
-- Parameters: $1 float8 the retention (seconds); $2 text the cursor's transaction id (xid8 as text); $3 bigint the
-- cursor's row id; $4 int rows at most.
DELETE FROM outbox WHERE id IN (
  SELECT id FROM outbox
  WHERE time < now() - make_interval(secs => $1) AND (tx, id) <= ($2::text::xid8, $3::bigint)
  LIMIT $4 FOR UPDATE SKIP LOCKED)
