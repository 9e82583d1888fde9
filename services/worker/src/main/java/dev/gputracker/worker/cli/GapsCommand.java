package dev.gputracker.worker.cli;

import dev.gputracker.shared.catalog.CatalogGapQuery;
import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.worker.normalize.CatalogGaps;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code gaps [--source NAME] [--limit N]}: what the catalog lacks, from the listings the worker
 * rejected as {@code unknown_model}, grouped by the words the normaliser could not place, most
 * frequent first, each with the nearest catalog model and an example title. Reads {@code
 * DATABASE_URL}.
 */
public final class GapsCommand implements Command {
  private final PrintStream out;
  private final PrintStream err;

  public GapsCommand() {
    this(new PrintStream(System.out, true, StandardCharsets.UTF_8), System.err);
  }

  GapsCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public String name() {
    return "gaps";
  }

  @Override
  public String summary() {
    return "unknown-model rejects grouped by the words the catalog lacks   [--source NAME] [--limit N]";
  }

  @Override
  public int run(Env env, List<String> args) throws Exception {
    String source = null;
    int limit = 30;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("--source") || a.equals("--limit")) && i + 1 < args.size()) {
        String v = args.get(++i);
        if (a.equals("--source")) {
          source = v;
        } else if (v.matches("\\d{1,4}") && Integer.parseInt(v) > 0) {
          limit = Integer.parseInt(v);
        } else {
          err.println("gaps: --limit must be a number from 1 to 9999, got " + v);
          return 2;
        }
      } else {
        err.println("gaps: unknown argument " + a + "; usage: gaps [--source NAME] [--limit N]");
        return 2;
      }
    }
    DatabaseUrl url;
    try {
      url = DatabaseUrl.fromEnv(env);
    } catch (ConfigException e) {
      err.println("gaps: " + e.getMessage());
      return 2;
    }
    GpuCatalog catalog = GpuCatalog.load();
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, url, "gaps-cli", 1);
      List<Row> rows =
          pool.preparedQuery(CatalogGapQuery.SQL).execute(Tuple.of(source, limit)).await().stream()
              .toList();
      if (rows.isEmpty()) {
        out.println("no unknown-model rejects" + (source == null ? "" : " from " + source));
        return 0;
      }
      out.printf(
          "%8s %7s  %-24s %-28s %s%n",
          "listings", "sources", "unplaced words", "nearest catalog model", "example");
      for (Row r : rows) {
        String words = r.getString("words");
        String nearest = CatalogGaps.nearest(catalog, words).map(m -> m.slug()).orElse("-");
        out.printf(
            "%8d %7d  %-24s %-28s %s%n",
            r.getInteger("listings"),
            r.getInteger("sources"),
            words == null ? "(no model number)" : words,
            nearest,
            r.getString("example"));
      }
      return 0;
    } finally {
      vertx.close().await();
    }
  }
}
