package dev.gputracker.worker.jobs.queue;

/**
 * Every SQL statement of the job queue. Each state change writes its job_events row in the same
 * statement.
 */
final class JobSql {
  private JobSql() {}

  static final String CHANNEL = "jobs_queued";

  static final String SUBMIT =
      """
      WITH j AS (
        INSERT INTO jobs (kind, image, command, env, gpus, min_vram_gb, timeout_seconds, priority, max_attempts,
                          idempotency_key, network, memory_mb, cpus)
        VALUES ($1, $2, $3, $4, $5, $6::float8::numeric, $7, $8, $9, $10, $11, $12, $13::float8::numeric)
        ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        RETURNING id),
      e AS (INSERT INTO job_events (job_id, from_state, to_state, detail) SELECT id, NULL, 'queued', 'submitted' FROM j)
      SELECT id, pg_notify('jobs_queued', id::text) FROM j""";

  static final String COUNT_BY_STATE = "SELECT state, count(*) AS n FROM jobs GROUP BY state";

  static final String BY_KEY = "SELECT id FROM jobs WHERE idempotency_key = $1";

  /**
   * $2 is the VRAM (GB) of each free local GPU: a job fits when at least {@code gpus} of them have
   * its {@code min_vram_gb}. Jobs that need no GPU skip the test. The update finds the chosen rows
   * through {@code id = ANY(ARRAY(...))}, an index lookup per id: joined to the CTE instead, the
   * planner hashed the whole jobs table for every claim (55 ms per 500 jobs at 50,000 rows, and
   * growing).
   */
  static final String CLAIM =
      """
      WITH c AS (
        SELECT id FROM jobs
        WHERE state = 'queued' AND kind = ANY($3)
          AND (gpus = 0 OR (SELECT count(*) FROM unnest($2::float8[]) AS free(gb)
                            WHERE free.gb >= coalesce(min_vram_gb::float8, 0)) >= gpus)
        ORDER BY priority DESC, id
        LIMIT $4
        FOR UPDATE SKIP LOCKED),
      u AS (
        UPDATE jobs j SET state = 'running', attempts = j.attempts + 1, lease_owner = $1,
          lease_expires_at = now() + make_interval(secs => $5), started_at = now()
        WHERE j.id = ANY(ARRAY(SELECT id FROM c))
        RETURNING j.id, j.kind, j.image, j.command, j.env, j.gpus, j.min_vram_gb::float8 AS min_vram_gb,
          j.timeout_seconds, j.attempts, j.network, j.memory_mb, j.cpus::float8 AS cpus),
      e AS (INSERT INTO job_events (job_id, from_state, to_state, worker) SELECT id, 'queued', 'running', $1 FROM u)
      SELECT * FROM u ORDER BY id""";

  /**
   * Completes a whole batch in one statement, so the job_events insert and its outbox trigger run
   * once per batch instead of once per job. $2 holds the ids, $3 maps each id to its outcome
   * ({@code state}, {@code exit_code}, {@code log_tail}, {@code result}, {@code error}; absent keys
   * are NULL).
   *
   * <p>Why not unnest the outcomes and join them: the planner believes {@code lease_owner = $1}
   * matches one row, so it nested-looped the whole batch against itself (0.2 s per 500 jobs) or
   * scanned the running jobs' partial index and its dead entries. Without a join the only sensible
   * plan is the primary key lookup of {@code ANY($2)}. The lease owner alone decides (a CHECK ties
   * it to {@code running}), so no {@code state} test lures the planner to the partial indexes.
   */
  static final String COMPLETE =
      """
      WITH u AS (
        UPDATE jobs j SET state = $3::jsonb -> j.id::text ->> 'state',
          exit_code = ($3::jsonb -> j.id::text ->> 'exit_code')::int,
          log_tail = $3::jsonb -> j.id::text ->> 'log_tail',
          result = $3::jsonb -> j.id::text -> 'result',
          error = $3::jsonb -> j.id::text ->> 'error',
          finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
        WHERE j.id = ANY($2) AND j.lease_owner = $1
        RETURNING j.id, j.state, j.error),
      e AS (INSERT INTO job_events (job_id, from_state, to_state, worker, detail)
            SELECT id, 'running', state, $1, error FROM u ORDER BY id)
      SELECT count(*)::int AS n FROM u""";

  /**
   * Which of the given jobs run under a lease that has not expired (their containers are not
   * orphans).
   */
  static final String LIVE_LEASES =
      """
      SELECT id FROM jobs WHERE id = ANY($1) AND state = 'running' AND lease_expires_at > now()""";

  static final String HEARTBEAT =
      """
      UPDATE jobs SET lease_expires_at = now() + make_interval(secs => $3)
      WHERE id = ANY($2) AND lease_owner = $1
      RETURNING id, cancel_requested""";

  static final String REAP =
      """
      WITH x AS (
        SELECT id, lease_owner FROM jobs WHERE state = 'running' AND lease_expires_at < now()
        FOR UPDATE SKIP LOCKED),
      u AS (
        UPDATE jobs j SET state = CASE WHEN j.attempts >= j.max_attempts THEN 'dead' ELSE 'queued' END,
          lease_owner = NULL, lease_expires_at = NULL,
          finished_at = CASE WHEN j.attempts >= j.max_attempts THEN now() END
        FROM x WHERE j.id = ANY(ARRAY(SELECT id FROM x)) AND j.id = x.id
        RETURNING j.id, j.state, x.lease_owner AS owner),
      e AS (INSERT INTO job_events (job_id, from_state, to_state, worker, detail)
            SELECT id, 'running', state, owner, 'lease expired' FROM u)
      SELECT id, state, pg_notify('jobs_queued', id::text) FROM u""";

  static final String RELEASE =
      """
      WITH u AS (
        UPDATE jobs SET state = 'queued', attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL,
          started_at = NULL
        WHERE id = ANY($2) AND lease_owner = $1
        RETURNING id),
      e AS (INSERT INTO job_events (job_id, from_state, to_state, worker, detail)
            SELECT id, 'running', 'queued', $1, 'handed back unstarted' FROM u)
      SELECT id, pg_notify('jobs_queued', id::text) FROM u""";

  static final String CANCEL_QUEUED =
      """
      WITH u AS (
        UPDATE jobs SET state = 'cancelled', finished_at = now() WHERE id = $1 AND state = 'queued' RETURNING id),
      e AS (INSERT INTO job_events (job_id, from_state, to_state, detail)
            SELECT id, 'queued', 'cancelled', 'cancelled by request' FROM u)
      SELECT id FROM u""";

  static final String CANCEL_RUNNING =
      """
      WITH u AS (
        UPDATE jobs SET cancel_requested = true WHERE id = $1 AND state = 'running' RETURNING id, lease_owner),
      e AS (INSERT INTO job_events (job_id, from_state, to_state, worker, detail)
            SELECT id, 'running', 'running', lease_owner, 'cancel requested' FROM u)
      SELECT id FROM u""";

  static final String SHOW =
      """
      SELECT id, kind, image, command, env, gpus, min_vram_gb::float8 AS min_vram_gb, network, memory_mb,
        cpus::float8 AS cpus, timeout_seconds, priority, max_attempts, state, attempts, cancel_requested, lease_owner, lease_expires_at::text, idempotency_key,
        created_at::text, started_at::text, finished_at::text, exit_code, log_tail, result, error
      FROM jobs WHERE id = $1""";

  static final String EVENTS =
      """
      SELECT at::text, from_state, to_state, worker, detail FROM job_events WHERE job_id = $1 ORDER BY id""";

  static final String LIST =
      """
      SELECT id, kind, state, priority, attempts, exit_code, created_at::text FROM jobs
      WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR kind = $2)
      ORDER BY id DESC LIMIT $3""";

  /**
   * Registers (or re-registers, after a restart under the same id) a worker: a fresh start, not
   * stopped.
   */
  static final String WORKER_UPSERT =
      """
      WITH w AS (
        INSERT INTO workers (id, host, gpus, capacity, version, heartbeat_seconds, started_at, heartbeat_at,
                             stopped_at, left_event_at)
        VALUES ($1, $2, $3, $4, $5, $6, now(), now(), NULL, NULL)
        ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, gpus = EXCLUDED.gpus, capacity = EXCLUDED.capacity,
          version = EXCLUDED.version, heartbeat_seconds = EXCLUDED.heartbeat_seconds, started_at = now(),
          heartbeat_at = now(), stopped_at = NULL, left_event_at = NULL
        RETURNING id, host, gpus, capacity, version, started_at
      )
      INSERT INTO outbox (type, source, subject, key, data)
      SELECT 'worker.joined', '/gpu-tracker/worker', 'worker/' || w.id, 'worker-' || w.id,
             jsonb_build_object('worker', w.id, 'host', w.host, 'gpus', w.gpus, 'capacity', w.capacity,
               'version', w.version,
               'started_at', to_char(w.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
      FROM w""";

  /**
   * This worker's heartbeat; in the same statement, workers whose heartbeats stopped (three missed)
   * are announced as gone, each once. Returns whether this worker's row was still there.
   */
  static final String WORKER_HEARTBEAT =
      """
      WITH me AS (
        UPDATE workers SET heartbeat_at = now() WHERE id = $1 AND stopped_at IS NULL RETURNING id
      ),
      lost AS (
        UPDATE workers SET left_event_at = now()
        WHERE id <> $1 AND stopped_at IS NULL AND left_event_at IS NULL
          AND heartbeat_at < now() - make_interval(secs => 3 * heartbeat_seconds)
        RETURNING id, host, heartbeat_at
      ),
      events AS (
        INSERT INTO outbox (type, source, subject, key, data)
        SELECT 'worker.left', '/gpu-tracker/worker', 'worker/' || l.id, 'worker-' || l.id,
               jsonb_build_object('worker', l.id, 'host', l.host, 'reason', 'heartbeat_lost',
                 'last_heartbeat_at', to_char(l.heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
        FROM lost l
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM me)::int AS alive, (SELECT count(*) FROM events)::int AS lost""";

  static final String WORKER_STOPPED =
      """
      WITH w AS (
        UPDATE workers SET heartbeat_at = now(), stopped_at = now(), left_event_at = now()
        WHERE id = $1 AND stopped_at IS NULL
        RETURNING id, host, heartbeat_at
      )
      INSERT INTO outbox (type, source, subject, key, data)
      SELECT 'worker.left', '/gpu-tracker/worker', 'worker/' || w.id, 'worker-' || w.id,
             jsonb_build_object('worker', w.id, 'host', w.host, 'reason', 'stopped',
               'last_heartbeat_at', to_char(w.heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
      FROM w""";
}
