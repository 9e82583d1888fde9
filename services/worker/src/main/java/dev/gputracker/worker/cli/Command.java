package dev.gputracker.worker.cli;

import dev.gputracker.shared.config.Env;
import java.util.List;

/** A sub-command of the worker jar ({@code java -jar gpu-tracker-worker.jar NAME ...}). */
public interface Command {
  /**
   * Exit status when the command could not do its job at all (bad configuration, database away).
   */
  int EXIT_CANNOT_RUN = 1;

  /** The name typed on the command line. */
  String name();

  /** One line for {@code --help}. */
  String summary();

  /**
   * Runs the command with the process's environment, read once by {@code WorkerMain}; the returned
   * value is the process exit status.
   */
  int run(Env env, List<String> args) throws Exception;
}
