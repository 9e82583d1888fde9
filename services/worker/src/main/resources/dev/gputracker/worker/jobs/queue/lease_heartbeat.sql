-- lease_heartbeat.sql: extends the leases of the jobs this worker still holds; returns each one's id and whether a
-- cancel was requested.
--
-- Parameters: $1 text the worker; $2 bigint[] the jobs' ids; $3 int the lease (seconds).
UPDATE jobs SET lease_expires_at = now() + make_interval(secs => $3)
WHERE id = ANY($2) AND lease_owner = $1
RETURNING id, cancel_requested
