package dev.gputracker.api.bench;

import dev.gputracker.api.ApiSql;
import dev.gputracker.api.listings.ListingsHandler;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scale benchmark behind {@code bench/scale.sh}: the market at {@code bench.small} listings
 * (200,000), then grown in place to {@code bench.large} (2,000,000), each with ten price points per
 * listing over a year and 2.5 rejected listings per listing, seeded in SQL; at each size every read
 * route is driven with {@code wrk} at 32 connections, the market summary's refresh is timed, and at
 * the large size one source of 200,000 active listings is scraped twice through the worker's page
 * write and removal step. Needs {@code wrk} and the worker jar on the class path. Last line: {@code
 * RESULT ...}.
 */
public final class ScaleBench {
  private static final int SMALL = Integer.getInteger("bench.small", 200_000);
  private static final int LARGE = Integer.getInteger("bench.large", 2_000_000);
  private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
  private static final int CONNECTIONS = Integer.getInteger("bench.connections", 32);

  /**
   * Sources: the first holds one listing in ten (200,000 at 2,000,000: the scrape step's), the rest
   * share the others.
   */
  private static final int SOURCES = 40;

  private static final String[] Q_WORDS = {
    "asus",
    "msi",
    "gigabyte",
    "zotac",
    "sapphire",
    "4090",
    "3060",
    "a100",
    "7900",
    "oc",
    "renewed",
    "ventus",
    "instance"
  };

  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    Path apiJar = Path.of(args[0]).toAbsolutePath();
    if (Integer.getInteger("bench.hold", 0) > 0 && System.getProperty("bench.dir") != null) {
      hold(Path.of(System.getProperty("bench.dir")), Integer.getInteger("bench.hold"));
      return;
    }
    Path dir = Files.createTempDirectory("gpu-tracker-scale-bench");
    long benchStart = System.nanoTime();
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start(dir.resolve("pg"), 0)) {
      DatabaseUrl db = postgres.url("bench");
      Migrator.migrate(db);
      ScaleSeed seed = new ScaleSeed(db, SOURCES);
      seed.grow(SMALL);
      if (Integer.getInteger("bench.hold", 0) > 0) {
        // For reading plans by hand: the market grown to that size stays up until the process is
        // stopped.
        seed.grow(Integer.getInteger("bench.hold"));
        System.out.println("holding " + db.jdbcUrl() + " user " + db.user());
        Thread.currentThread().join();
      }
      int port = ApiLoadBench.freePort();
      Process api = ApiLoadBench.startApi(apiJar, db, port);
      try {
        ApiLoadBench.awaitReady(port);
        String base = "http://127.0.0.1:" + port;
        Map<String, List<String>> routes = routes(dir, base, seed);
        System.out.printf(Locale.ROOT, "warming the API up (every route, 2 s each)%n");
        for (Map.Entry<String, List<String>> r : routes.entrySet()) {
          wrk(r.getValue(), 2, r.getKey() + " (warm-up)");
        }
        Size small = measure(db, seed, routes, SMALL);
        seed.grow(LARGE);
        routes = routes(dir, base, seed);
        Size large = measure(db, seed, routes, LARGE);
        Class<?> scrape = Class.forName("dev.gputracker.worker.bench.ScaleScrape");
        double[] s =
            (double[]) scrape.getMethod("run", DatabaseUrl.class, int.class).invoke(null, db, 1);
        double refreshAfterScrape = refreshMs(db);
        System.out.printf(
            Locale.ROOT, "market summary refresh after the scrape: %.1f ms%n", refreshAfterScrape);

        System.out.printf(
            Locale.ROOT,
            "%n%-44s %12s %12s %12s %12s %7s%n",
            "route",
            "req/s " + SMALL / 1000 + "k",
            "p99 " + SMALL / 1000 + "k",
            "req/s " + LARGE / 1000 + "k",
            "p99 " + LARGE / 1000 + "k",
            "growth");
        String worst = null;
        double growthWorst = 0;
        for (String route : large.figures.keySet()) {
          ApiLoadBench.Figures a = small.figures.get(route);
          ApiLoadBench.Figures b = large.figures.get(route);
          double growth = b.p99() / a.p99();
          growthWorst = Math.max(growthWorst, growth);
          if (worst == null || b.p99() > large.figures.get(worst).p99()) {
            worst = route;
          }
          System.out.printf(
              Locale.ROOT,
              "%-44s %12.0f %10.1fms %12.0f %10.1fms %6.2fx%n",
              route,
              a.rps(),
              a.p99(),
              b.rps(),
              b.p99(),
              growth);
        }
        System.out.printf(
            Locale.ROOT,
            "market summary refresh: %.1f ms at %,d, %.1f ms at %,d%n",
            small.refreshMs,
            SMALL,
            large.refreshMs,
            LARGE);
        System.out.printf(
            Locale.ROOT,
            "database: %,d bytes at %,d listings (%.0f per listing), %,d at %,d (%.0f per"
                + " listing); %,d price points%n",
            small.dbBytes,
            SMALL,
            small.dbBytes / (double) SMALL,
            large.dbBytes,
            LARGE,
            large.dbBytes / (double) LARGE,
            large.pricePoints);
        System.out.printf(
            Locale.ROOT, "bench wall time %.0f s%n", (System.nanoTime() - benchStart) / 1e9);
        System.out.printf(
            Locale.ROOT,
            "RESULT listings=%d price_points=%d worst_route=%s worst_p99_ms=%.1f"
                + " listings_p99_ms=%.1f gpus_refresh_ms=%.1f history_p99_ms=%.1f removal_ms=%.0f growth_worst=%.2f"
                + " db_bytes_per_listing=%.0f page_write_ms=%.2f worker_market_refresh_ms=%.0f"
                + " worker_days_refresh_ms=%.0f%n",
            LARGE,
            large.pricePoints,
            worst.replace(' ', '_'),
            large.figures.get(worst).p99(),
            large.figures.get("listings default").p99(),
            Math.max(large.refreshMs, refreshAfterScrape),
            large.figures.get("gpu history day 90").p99(),
            s[10],
            growthWorst,
            large.dbBytes / (double) LARGE,
            s[7] / s[6],
            Math.max(s[12], s[14]),
            Math.max(s[13], s[15]));
      } finally {
        api.destroy();
        api.waitFor();
      }
    } finally {
      ApiLoadBench.deleteTree(dir);
    }
  }

  /**
   * For reading plans by hand: the market at {@code size} listings in {@code dir}, kept there
   * (seeded on the first run, reused and migrated after), up until the process is stopped.
   */
  private static void hold(Path dir, int size) throws Exception {
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start(dir.resolve("pg"), 0)) {
      DatabaseUrl db = postgres.url("bench");
      Migrator.migrate(db);
      ScaleSeed seed = new ScaleSeed(db, SOURCES);
      if (seed.resume() < size) {
        seed.grow(size);
      }
      System.out.println("holding " + db.jdbcUrl() + " user " + db.user());
      Thread.currentThread().join();
    }
  }

  record Size(
      Map<String, ApiLoadBench.Figures> figures,
      double refreshMs,
      long dbBytes,
      long pricePoints) {}

  private static Size measure(
      DatabaseUrl db, ScaleSeed seed, Map<String, List<String>> routes, int listings)
      throws Exception {
    System.out.printf(
        Locale.ROOT,
        "%n== %,d listings: %d connections, %d s per route ==%n",
        listings,
        CONNECTIONS,
        SECONDS);
    Map<String, ApiLoadBench.Figures> figures = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> r : routes.entrySet()) {
      wrk(r.getValue(), 1, r.getKey() + " (warm-up)");
      figures.put(r.getKey(), wrk(r.getValue(), SECONDS, r.getKey()));
    }
    double refresh = refreshMs(db);
    System.out.printf(
        Locale.ROOT, "market summary refresh (/api/gpus on a cache miss): %.1f ms%n", refresh);
    return new Size(figures, refresh, seed.databaseBytes(), seed.pricePoints());
  }

  /**
   * The market summary's refresh: what {@code /api/gpus} aggregates, computed afresh (median of
   * three).
   */
  static double refreshMs(DatabaseUrl db) throws Exception {
    double[] ms = new double[3];
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      for (int i = 0; i < ms.length; i++) {
        long start = System.nanoTime();
        String sql =
            ApiSql.GPUS_BY_LISTINGS
                .replaceAll("\\$1\\b", "NULL::text")
                .replaceAll("\\$2\\b", "NULL::text")
                .replaceAll("\\$3\\b", "false");
        try (ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            rs.getString(1);
          }
        }
        ms[i] = (System.nanoTime() - start) / 1e6;
      }
    }
    Arrays.sort(ms);
    if (Boolean.getBoolean("bench.explain")) {
      // Where the summary's time goes, for reading with the figures (-Dbench.explain=true).
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "EXPLAIN (ANALYZE, BUFFERS) "
                      + ApiSql.GPUS_BY_LISTINGS
                          .replaceAll("\\$1\\b", "NULL::text")
                          .replaceAll("\\$2\\b", "NULL::text")
                          .replaceAll("\\$3\\b", "false"))) {
        while (rs.next()) {
          System.out.println("  " + rs.getString(1));
        }
      }
    }
    return ms[1];
  }

  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern TIMEOUTS = Pattern.compile("timeout (\\d+)");

  /**
   * One wrk run. Failed requests (a 503 when the API's pool wait ran out) and requests still
   * unanswered after wrk's 10 s timeout are printed and make the route's p99 count as 10 s: a route
   * that fails is not fast.
   */
  /**
   * 32 connections, but the CSV export at the API's own limit of exports at once: more are refused
   * with a 503 by design (each export holds 10,000 rows in memory), which would only measure the
   * refusal.
   */
  private static int connections(String label) {
    return label.startsWith("csv export") ? ListingsHandler.CSV_EXPORTS_AT_ONCE : CONNECTIONS;
  }

  private static ApiLoadBench.Figures wrk(List<String> target, int seconds, String label)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "wrk",
                "-t2",
                "-c" + connections(label),
                "-d" + seconds + "s",
                "--latency",
                "--timeout",
                "10s"));
    args.addAll(target);
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    drain(target.get(target.size() - 1));
    Matcher failed = NON_2XX.matcher(out);
    Matcher timeouts = TIMEOUTS.matcher(out);
    long bad =
        (failed.find() ? Long.parseLong(failed.group(1)) : 0)
            + (timeouts.find() ? Long.parseLong(timeouts.group(1)) : 0);
    ApiLoadBench.Figures f = ApiLoadBench.parseWrk(out, label);
    if (bad > 0) {
      System.out.printf(
          Locale.ROOT, "  %s: %d requests failed or timed out: p99 counted as 10 s%n", label, bad);
      f = new ApiLoadBench.Figures(f.rps(), f.p50(), 10_000);
    }
    return f;
  }

  /**
   * Waits until the API has answered what wrk left queued: when wrk stops, requests of a slow route
   * (a 10,000-row export takes seconds at 32 connections) are still running and would be counted
   * against the next route. Polls a cheap read that goes through the database pool until two in a
   * row answer within 50 ms (at most 60 s).
   */
  private static void drain(String url) throws Exception {
    String base = url.contains("/api/") ? url.substring(0, url.indexOf("/api/")) : url;
    URI probe = URI.create(base + "/api/rejected?limit=1");
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(30)).build();
    long deadline = System.nanoTime() + 60_000_000_000L;
    int quick = 0;
    while (quick < 2 && System.nanoTime() < deadline) {
      long start = System.nanoTime();
      try {
        client.send(request, HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        // A timeout: the API is still busy.
      }
      quick = System.nanoTime() - start < 50_000_000L ? quick + 1 : 0;
    }
  }

  /**
   * Each measured route as wrk's arguments (a Lua script where a request draws a model, an id or a
   * word).
   */
  private static Map<String, List<String>> routes(Path dir, String base, ScaleSeed seed)
      throws Exception {
    Map<String, List<String>> routes = new LinkedHashMap<>();
    routes.put("listings default", List.of(base + "/api/listings"));
    for (String sort :
        List.of(
            "price",
            "-price",
            "price_per_gb",
            "price_per_tflop",
            "value",
            "deal",
            "first_seen",
            "-first_seen")) {
      routes.put("listings sort=" + sort, List.of(base + "/api/listings?sort=" + sort));
    }
    routes.put(
        "listings q=word",
        lua(dir, "q", base, "\"/api/listings?q=\" .. words[math.random(#words)]", seed));
    routes.put("gpus", List.of(base + "/api/gpus"));
    routes.put(
        "gpu one", lua(dir, "gpu", base, "\"/api/gpus/\" .. slugs[math.random(#slugs)]", seed));
    routes.put(
        "gpu history day 90",
        lua(
            dir,
            "history",
            base,
            "\"/api/gpus/\" .. slugs[math.random(#slugs)] .. \"/history?bucket=day&days=90\"",
            seed));
    routes.put(
        "listing by id",
        lua(dir, "id", base, "\"/api/listings/\" .. math.random(" + seed.listings() + ")", seed));
    routes.put("rejected", List.of(base + "/api/rejected"));
    routes.put(
        "csv export 10000 rows",
        List.of("-H", "Accept: text/csv", base + "/api/listings?limit=10000"));
    return routes;
  }

  private static List<String> lua(
      Path dir, String name, String base, String pathExpr, ScaleSeed seed) throws Exception {
    StringBuilder lua = new StringBuilder("local slugs = {");
    for (String s : seed.slugs()) {
      lua.append('"').append(s).append("\",");
    }
    lua.append("}\nlocal words = {");
    for (String w : Q_WORDS) {
      lua.append('"').append(w).append("\",");
    }
    lua.append("}\nrequest = function()\n  return wrk.format(\"GET\", ")
        .append(pathExpr)
        .append(")\nend\n");
    Path script = dir.resolve(name + ".lua");
    Files.writeString(script, lua.toString());
    return List.of("-s", script.toString(), base);
  }
}
