package dev.gputracker.shared.jobs;

import dev.gputracker.shared.db.SqlResource;

/**
 * The reads of the job queue, one statement each for the API ({@code /api/jobs}) and the worker's
 * operator command ({@code jobs list|show}): the files beside this class ({@code
 * resources/dev/gputracker/shared/jobs/*.sql}, each with a header naming its parameters). Both show
 * the same safe projection: environment variable names only, never their values, and a bounded log
 * tail; each caller chooses the bounds through the statements' parameters. {@link JobJson} turns
 * their rows into JSON.
 */
public final class JobReads {
  private JobReads() {}

  /** Jobs, newest first, keyset-paginated on id, optionally by state and kind. */
  public static final String JOBS = SqlResource.load(JobReads.class, "jobs.sql");

  /** One job by id, with the last {@code $2} characters of its log. */
  public static final String JOB = SqlResource.load(JobReads.class, "job.sql");

  /** A job's state history, oldest first, at most {@code $2} changes. */
  public static final String JOB_EVENTS = SqlResource.load(JobReads.class, "job_events.sql");
}
