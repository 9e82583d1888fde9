package dev.gputracker.worker;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.observability.ErrorReporting;
import dev.gputracker.worker.cli.AcceptBaselineCommand;
import dev.gputracker.worker.cli.Command;
import dev.gputracker.worker.cli.DemoServerCommand;
import dev.gputracker.worker.cli.GapsCommand;
import dev.gputracker.worker.cli.GpusCommand;
import dev.gputracker.worker.cli.JobsCliCommand;
import dev.gputracker.worker.cli.LocalCommand;
import dev.gputracker.worker.cli.MigrateCommand;
import dev.gputracker.worker.cli.NormalizeCommand;
import dev.gputracker.worker.cli.ParseCommand;
import dev.gputracker.worker.cli.ProbeCommand;
import dev.gputracker.worker.cli.RunCommand;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The worker jar's entry point. Without arguments it runs the worker as {@code WORKER_MODE} says
 * (daemon or oneshot); operator tools are sub-commands.
 */
public final class WorkerMain {
  private static final List<Command> COMMANDS =
      List.of(
          new RunCommand(),
          new MigrateCommand(),
          new LocalCommand(),
          new NormalizeCommand(),
          new GapsCommand(),
          new ParseCommand(),
          new JobsCliCommand(),
          new GpusCommand(),
          new DemoServerCommand(),
          new AcceptBaselineCommand(),
          new ProbeCommand());

  private WorkerMain() {}

  public static void main(String[] args) {
    Env env = Env.system();
    ErrorReporting.init(env, "worker");
    int status = run(env, List.of(args), System.err);
    ErrorReporting.flush(Duration.ofSeconds(5));
    System.exit(status);
  }

  static int run(Env env, List<String> args, PrintStream err) {
    String name = args.isEmpty() ? "run" : args.get(0);
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      usage(System.out);
      return 0;
    }
    for (Command command : COMMANDS) {
      if (command.name().equals(name)) {
        try {
          return command.run(env, args.isEmpty() ? List.of() : args.subList(1, args.size()));
        } catch (ConfigException e) {
          err.println("error: " + e.getMessage());
          return Command.EXIT_CANNOT_RUN;
        } catch (Exception e) {
          ErrorReporting.capture(e, Map.of("command", name));
          err.println("error: " + name + " failed: " + e);
          e.printStackTrace(err);
          return Command.EXIT_CANNOT_RUN;
        }
      }
    }
    err.println("error: unknown command '" + name + "'");
    usage(err);
    return Command.EXIT_CANNOT_RUN;
  }

  private static void usage(PrintStream out) {
    out.println("usage: java -jar gpu-tracker-worker.jar [COMMAND] [ARGS]");
    out.println();
    for (Command c : COMMANDS) {
      out.printf("  %-10s %s%n", c.name(), c.summary());
    }
    out.println();
    out.println("Configuration comes from environment variables; see README.md.");
  }
}
