package dev.gputracker.worker.cli;

import dev.gputracker.shared.config.Env;
import dev.gputracker.worker.jobs.cli.JobsCommand;
import java.util.List;

/** {@code jobs submit|list|show|cancel|run ...}: the compute-job queue from the command line. */
public final class JobsCliCommand implements Command {
  @Override
  public String name() {
    return "jobs";
  }

  @Override
  public String summary() {
    return "submit|list|show|cancel|run  compute jobs in the PostgreSQL queue (see README)";
  }

  @Override
  public int run(Env env, List<String> args) throws Exception {
    return new JobsCommand(env, System.out, System.err).run(args);
  }
}
