-- lag.sql: how far the relay is behind: the events after its cursor, and the age of the oldest of them (0 when none).
--
-- Parameters: $1 text the cursor's transaction id (xid8 as text); $2 bigint the cursor's row id.
SELECT count(*)::bigint AS events,
       coalesce(extract(epoch FROM now() - min(time)), 0)::float8 AS seconds
FROM outbox WHERE (tx, id) > ($1::text::xid8, $2::bigint)
