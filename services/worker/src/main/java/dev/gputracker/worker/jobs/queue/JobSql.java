package dev.gputracker.worker.jobs.queue;

import dev.gputracker.shared.db.SqlResource;
import dev.gputracker.shared.events.EventSql;
import dev.gputracker.shared.events.payload.WorkerJoined;
import dev.gputracker.shared.events.payload.WorkerLeft;

/**
 * The index of every SQL statement of the job queue and the worker registry: each non-trivial one
 * is a file beside this class ({@code resources/dev/gputracker/worker/jobs/queue/*.sql}, with a
 * header naming its parameters). Each job state change writes its job_events row in the same
 * statement (the trigger {@code job_events_to_outbox()} turns those into events); the registry's
 * events are defined here, one per type, from their payload records. The reads an operator shows
 * ({@code jobs list|show}) are the API's too: {@code shared.jobs.JobReads}.
 */
final class JobSql {
  private JobSql() {}

  static final String CHANNEL = "jobs_queued";

  /** {@code worker.joined} from the registration upsert's row ({@code w}). */
  static final EventSql WORKER_JOINED =
      EventSql.of(WorkerJoined.class)
          .subject("worker", "w.id")
          .set("worker", "w.id")
          .set("host", "w.host")
          .set("gpus", "w.gpus")
          .set("capacity", "w.capacity")
          .set("version", "w.version")
          .set("startedAt", "w.started_at")
          .build();

  /**
   * {@code worker.left}, for a clean stop and for a lost heartbeat alike: both statements name the
   * departed workers' rows {@code w} with the columns id, host, heartbeat_at and reason.
   */
  static final EventSql WORKER_LEFT =
      EventSql.of(WorkerLeft.class)
          .subject("worker", "w.id")
          .set("worker", "w.id")
          .set("host", "w.host")
          .set("reason", "w.reason")
          .set("lastHeartbeatAt", "w.heartbeat_at")
          .build();

  static final String SUBMIT = load("submit.sql");

  static final String COUNT_BY_STATE = "SELECT state, count(*) AS n FROM jobs GROUP BY state";

  static final String BY_KEY = "SELECT id FROM jobs WHERE idempotency_key = $1";

  static final String CLAIM = load("claim.sql");

  static final String COMPLETE = load("complete.sql");

  /**
   * Which of the given jobs run under a lease that has not expired (their containers are not
   * orphans).
   */
  static final String LIVE_LEASES =
      "SELECT id FROM jobs WHERE id = ANY($1) AND state = 'running' AND lease_expires_at > now()";

  static final String HEARTBEAT = load("lease_heartbeat.sql");

  static final String REAP = load("reap.sql");

  static final String RELEASE = load("release.sql");

  static final String CANCEL_QUEUED = load("cancel_queued.sql");

  static final String CANCEL_RUNNING = load("cancel_running.sql");

  /** Registers (or re-registers) a worker, with {@code worker.joined}. */
  static final String WORKER_UPSERT = load("worker_upsert.sql", WORKER_JOINED);

  /** This worker's heartbeat, announcing the workers whose heartbeats stopped. */
  static final String WORKER_HEARTBEAT = load("worker_heartbeat.sql", WORKER_LEFT);

  /** A clean stop, with {@code worker.left}. */
  static final String WORKER_STOPPED = load("worker_stopped.sql", WORKER_LEFT);

  private static String load(String name, EventSql... events) {
    return SqlResource.load(JobSql.class, name, EventSql.fills(events));
  }
}
