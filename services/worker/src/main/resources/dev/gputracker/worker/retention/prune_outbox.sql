-- prune_outbox.sql: without Kafka nothing publishes: one batch of events older than the retention, which only fed the
-- live stream. Bounded and skipping locked rows, as prune_rejected.sql.
--
-- Parameters: $1 float8 the retention (seconds); $2 int rows at most.
DELETE FROM outbox WHERE id IN (
  SELECT id FROM outbox WHERE time < now() - make_interval(secs => $1)
  LIMIT $2 FOR UPDATE SKIP LOCKED)
