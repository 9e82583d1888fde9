package dev.gputracker.worker.cli;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.db.Migrator;
import dev.gputracker.worker.persist.HealthStore;
import dev.gputracker.worker.persist.HealthStore.LatestRun;
import dev.gputracker.worker.persist.ListingStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Optional;

/**
 * {@code accept-baseline SOURCE}: an operator says a suspect run's shrink is real (the shop really
 * lists fewer cards). The source's latest run becomes its new baseline (earlier runs no longer
 * count), the listings that run no longer saw are removed (with their {@code listing.removed}
 * events) and the source is {@code ok} again.
 */
public final class AcceptBaselineCommand implements Command {
  @Override
  public String name() {
    return "accept-baseline";
  }

  @Override
  public String summary() {
    return "SOURCE  accept a suspect run's yield as real: remove what it no longer lists, judge later runs by it";
  }

  @Override
  public int run(Env env, List<String> args) {
    if (args.size() != 1 || args.get(0).startsWith("-")) {
      throw new ConfigException("accept-baseline: usage: accept-baseline SOURCE");
    }
    String name = args.get(0);
    DatabaseUrl db = DatabaseUrl.fromEnv(env);
    Migrator.migrate(db);
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, db, "accept-baseline", 1);
      HealthStore health = new HealthStore(pool);
      Optional<LatestRun> latest = health.latestRun(name).await();
      if (latest.isEmpty()) {
        System.err.println("error: no source is called '" + name + "' in the database");
        return EXIT_CANNOT_RUN;
      }
      LatestRun run = latest.get();
      if (run.runId() == null) {
        System.err.println(
            "error: " + name + " has not finished a run yet: there is no yield to accept");
        return EXIT_CANNOT_RUN;
      }
      if (!run.status().equals("suspect") && !run.status().equals("succeeded")) {
        System.err.println(
            "error: the latest run of "
                + name
                + " (run "
                + run.runId()
                + ") is "
                + run.status()
                + ": only a complete run's yield can become the baseline");
        return 2;
      }
      health.acceptBaseline(run.sourceId(), run.runId()).await();
      int removed =
          run.status().equals("suspect")
              ? new ListingStore(pool).markRemoved(run.sourceId(), run.runId()).await()
              : 0;
      health.record(run.sourceId(), run.runId(), "ok", null).await();
      System.out.println(
          "Run "
              + run.runId()
              + " of "
              + name
              + " is the new baseline"
              + (run.status().equals("suspect")
                  ? " (it was suspect: " + run.healthReason() + ")"
                  : "")
              + "; "
              + removed
              + " listings it no longer saw removed");
      return 0;
    } finally {
      vertx.close().await();
    }
  }
}
