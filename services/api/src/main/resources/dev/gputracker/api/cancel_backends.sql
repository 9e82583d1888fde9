-- Cancels the running statements of the stopping API's own backends (ApiDatabase, at shutdown). The
-- application name guards against a process id the server has since given to another client.
-- $1 int[]: the process ids of the API's pooled connections.

SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1::int[]) AND application_name = 'gpu-tracker-api' AND state = 'active'
