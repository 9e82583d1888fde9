package dev.gputracker.worker.jobs.executors;

import dev.gputracker.worker.jobs.queue.ClaimedJob;
import dev.gputracker.worker.jobs.queue.JobOutcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Completes at once in-process: for canaries and for measuring the queue itself. */
public final class NoopExecutor implements JobExecutor {
  @Override
  public String kind() {
    return "noop";
  }

  @Override
  public Future<JobOutcome> execute(ClaimedJob job) {
    return Future.succeededFuture(
        JobOutcome.succeeded(new JsonObject().put("attempt", job.attempt())));
  }
}
