package dev.gputracker.worker.cli;

import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Migrator;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.runtime.WorkerProcess;
import dev.gputracker.worker.runtime.WorkerRuntime;
import java.util.List;
import org.flywaydb.core.api.FlywayException;

/**
 * The worker itself: migrates the database, then scrapes as {@code WORKER_MODE} says (the default
 * command).
 */
public final class RunCommand implements Command {
  @Override
  public String name() {
    return "run";
  }

  @Override
  public String summary() {
    return "run the worker: WORKER_MODE=daemon (default) or oneshot";
  }

  @Override
  public int run(Env env, List<String> args) {
    WorkerConfig config = WorkerConfig.from(env);
    try {
      Migrator.migrate(config.database());
    } catch (FlywayException e) {
      System.err.println(
          "error: cannot prepare the database at "
              + config.database().redacted()
              + ": "
              + e.getMessage().lines().findFirst().orElse(""));
      return EXIT_CANNOT_RUN;
    }
    WorkerRuntime runtime = WorkerRuntime.start(config);
    runtime.startEvents(config.kafka(), config.retention());
    return new WorkerProcess(config, runtime, System.out).execute();
  }
}
