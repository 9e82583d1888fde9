package dev.gputracker.worker.cli;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Migrator;
import java.util.List;

/** Applies the schema migrations and the catalog seed to {@code DATABASE_URL}, then exits. */
public final class MigrateCommand implements Command {
  @Override
  public String name() {
    return "migrate";
  }

  @Override
  public String summary() {
    return "apply database migrations and the GPU catalog, then exit";
  }

  @Override
  public int run(Env env, List<String> args) {
    Migrator.migrate(DatabaseUrl.fromEnv(env));
    return 0;
  }
}
