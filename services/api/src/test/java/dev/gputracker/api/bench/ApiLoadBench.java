package dev.gputracker.api.bench;

import dev.gputracker.api.ApiSql;
import dev.gputracker.api.listings.SearchStatements;
import dev.gputracker.shared.bench.ProcCpu;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import io.vertx.core.MultiMap;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API load benchmark behind {@code bench/api-load.sh}: seeds {@code bench.listings} listings
 * into a fresh embedded PostgreSQL, starts the API jar against it with the image's JVM flags
 * ({@code services/api/jvm.options}), drives {@code GET /api/listings} (random GPU and price
 * ceiling) and {@code GET /api/gpus} with {@code wrk}, then replays the SQL the API issues for the
 * same requests with {@code pgbench} (prepared statements, the same concurrency) as the ceiling.
 * Needs {@code wrk} and {@code pgbench} (Debian packages {@code wrk} and {@code postgresql-client})
 * and the worker jar on the class path for the embedded database. Last line: {@code RESULT ...}.
 */
public final class ApiLoadBench {
  private static final int LISTINGS = Integer.getInteger("bench.listings", 200_000);
  private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
  private static final int CONNECTIONS = Integer.getInteger("bench.connections", 32);
  private static final Pattern WRK_RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern WRK_PCT =
      Pattern.compile("\\s+(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\b");
  private static final Pattern WRK_ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final String POSTGRES_DIR = "pg";
  private static final int MAX_SETTLING_ROUNDS = 12;

  /**
   * The API's JVM flags as its image runs them (relative to the repository root, where the script
   * runs).
   */
  private static final String API_JVM_OPTIONS = "services/api/jvm.options";

  /**
   * Stand-ins for the GPU and the price ceiling in the statement that pgbench replays (valid as
   * parameters).
   */
  private static final String SLUG_MARKER = "bench-gpu-marker";

  private static final String PRICE_MARKER = "1";
  private static final double SETTLED_SHARE = 0.05;
  private static final Pattern PGBENCH_TPS =
      Pattern.compile("tps = ([\\d.]+) \\((?:without|excluding)");

  private ApiLoadBench() {}

  record Figures(double rps, double p50, double p99) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || !Files.isRegularFile(Path.of(args[0]))) {
      System.err.println("usage: ApiLoadBench <gpu-tracker-api.jar>");
      System.exit(2);
    }
    Path apiJar = Path.of(args[0]).toAbsolutePath();
    Path dir = Files.createTempDirectory("gpu-tracker-api-bench");
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start(dir.resolve(POSTGRES_DIR), 0)) {
      DatabaseUrl db = postgres.url("bench");
      Migrator.migrate(db);
      List<String> slugs = seed(db);
      if (Boolean.getBoolean("bench.hold")) {
        // For looking at plans by hand: the seeded database stays up until the process is stopped.
        System.out.println("holding " + db.jdbcUrl() + " user " + db.user());
        Thread.currentThread().join();
      }
      int port = freePort();
      Process api = startApi(apiJar, db, port);
      try {
        awaitReady(port);
        run(dir, db, port, api, slugs);
      } finally {
        api.destroy();
        api.waitFor();
      }
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Deletes the bench's temporary directory and everything in it (the embedded database's files).
   */
  static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void run(Path dir, DatabaseUrl db, int port, Process api, List<String> slugs)
      throws Exception {
    Path postgresData = dir.resolve(POSTGRES_DIR);
    Path lua = dir.resolve("listings.lua");
    Files.writeString(lua, listingsLua(slugs));
    String base = "http://127.0.0.1:" + port;
    System.out.printf(
        Locale.ROOT,
        "%,d listings, %d connections, %d s per run; API pid %d%n",
        LISTINGS,
        CONNECTIONS,
        SECONDS,
        api.pid());
    // The other route first: its types reach shared code (routing, JSON, the pool), and the JIT's
    // recompiling
    // after that must happen before the measured run, not in it (it took a third of the API's CPU
    // there).
    wrk(List.of("-t2", "-c" + CONNECTIONS, "-d3s", base + "/api/gpus"), "warm-up gpus");
    settle(api.pid(), postgresData, lua, base);

    CpuSnapshot before = CpuSnapshot.take(api.pid(), postgresData);
    Figures apiListings =
        wrk(
            List.of(
                "-t2",
                "-c" + CONNECTIONS,
                "-d" + SECONDS + "s",
                "--latency",
                "-s",
                lua.toString(),
                base),
            "API /api/listings");
    CpuSnapshot after = CpuSnapshot.take(api.pid(), postgresData);
    double requests = apiListings.rps * SECONDS;
    System.out.printf(
        Locale.ROOT,
        "CPU per request: API %.2f ms (its JIT %.2f, GC %.2f), PostgreSQL %.2f ms,"
            + " machine %.2f ms (wrk and the kernel: the rest)%n",
        after.apiMs(before) / requests,
        after.jitMs(before) / requests,
        after.gcMs(before) / requests,
        after.postgresMs(before) / requests,
        after.machineMs(before) / requests);
    long rssKb = rssKb(api.pid());
    // One prepared statement, as the API prepares one per connection: the GPU a parameter drawn per
    // transaction.
    // (Earlier, one script per GPU with the slug written in made 77 statements per connection, each
    // planned afresh
    // for its first five executions: pgbench then spent most of a run planning and reached half its
    // rate.)
    MultiMap q =
        MultiMap.caseInsensitiveMultiMap().add("gpu", SLUG_MARKER).add("max_price", PRICE_MARKER);
    StringBuilder slugArray = new StringBuilder("(ARRAY[");
    for (int i = 0; i < slugs.size(); i++) {
      slugArray.append(i == 0 ? "" : ", ").append('\'').append(slugs.get(i)).append('\'');
    }
    slugArray.append("])[:g]");
    Path script = dir.resolve("listings.sql");
    Files.writeString(
        script,
        "\\set g random(1, "
            + slugs.size()
            + ")\n\\set p random(100, 3000)\n"
            + pgbenchStatement(
                SearchStatements.of(q),
                Map.of(SLUG_MARKER, slugArray.toString(), PRICE_MARKER, ":p"))
            + ";\n");
    List<Path> scripts = List.of(script);
    Figures pgListings = pgbench(dir, db, scripts, "pgbench /api/listings SQL");

    Figures apiGpus =
        wrk(
            List.of(
                "-t2", "-c" + CONNECTIONS, "-d" + SECONDS + "s", "--latency", base + "/api/gpus"),
            "API /api/gpus");
    Path gpusScript = dir.resolve("gpus.sql");
    // $1 slug and $2 vendor null (every model), $3 listed=false: what a plain GET /api/gpus binds.
    // pgbench reads a statement as one line: the statement's own "--" comments would swallow the
    // rest of it.
    Files.writeString(
        gpusScript,
        ApiSql.GPUS_BY_LISTINGS
                .replaceAll("--[^\\n]*", "")
                .replaceAll("\\$1\\b", "NULL::text")
                .replaceAll("\\$2\\b", "NULL::text")
                .replaceAll("\\$3\\b", "false")
                .replaceAll("\\s+", " ")
                .trim()
            + ";\n");
    Figures pgGpus = pgbench(dir, db, List.of(gpusScript), "pgbench /api/gpus SQL");
    long rssAfterKb = rssKb(api.pid());
    long peakKb = procStatusKb(api.pid(), "VmHWM:");

    System.out.printf(
        Locale.ROOT,
        "%-20s %12s %12s %8s %9s %9s%n",
        "endpoint",
        "API req/s",
        "pgbench tps",
        "ratio",
        "API p50",
        "API p99");
    print("/api/listings", apiListings, pgListings);
    print("/api/gpus", apiGpus, pgGpus);
    System.out.printf(
        Locale.ROOT,
        "pgbench latency: listings p50 %.2f ms p99 %.2f ms; gpus p50 %.2f ms p99 %.2f ms%n",
        pgListings.p50,
        pgListings.p99,
        pgGpus.p50,
        pgGpus.p99);
    System.out.printf(
        Locale.ROOT,
        "API memory (RSS): %d MB after /api/listings, %d MB at the end, peak %d MB%n",
        rssKb / 1024,
        rssAfterKb / 1024,
        peakKb / 1024);
    System.out.printf(
        Locale.ROOT,
        "RESULT api_rps=%.0f pgbench_tps=%.0f api_vs_pgbench_ratio=%.2f p50_ms=%.2f p99_ms=%.2f"
            + " gpus_api_rps=%.0f gpus_pgbench_tps=%.0f gpus_ratio=%.2f gpus_p99_ms=%.2f api_rss_mb=%d%n",
        apiListings.rps,
        pgListings.rps,
        apiListings.rps / pgListings.rps,
        apiListings.p50,
        apiListings.p99,
        apiGpus.rps,
        pgGpus.rps,
        apiGpus.rps / pgGpus.rps,
        apiGpus.p99,
        peakKb / 1024);
  }

  /**
   * The API's statement for pgbench: the same text, each parameter written in place as a literal,
   * except those whose value is a key of {@code variables}, which become that pgbench expression
   * (bound as a parameter under {@code -M prepared}, as the API binds it).
   */
  static String pgbenchStatement(
      Map.Entry<String, Tuple> statement, Map<String, String> variables) {
    Tuple params = statement.getValue();
    Matcher m = Pattern.compile("\\$(\\d+)\\b").matcher(statement.getKey());
    StringBuilder sql = new StringBuilder();
    while (m.find()) {
      Object value = params.getValue(Integer.parseInt(m.group(1)) - 1);
      String text =
          value instanceof String v && variables.containsKey(v)
              ? variables.get(v)
              : value instanceof String v
                  ? "'" + v.replace("'", "''") + "'"
                  : String.valueOf(value);
      m.appendReplacement(sql, Matcher.quoteReplacement(text));
    }
    m.appendTail(sql);
    return sql.toString().replaceAll("\\s+", " ").trim();
  }

  /**
   * Unmeasured rounds of the listings load until the API's JIT has caught up: C2 on two cores keeps
   * compiling for a minute or more of load, and measuring while it does understates the API by a
   * third (it took as much CPU as the event loops in a round after 20 s of warm-up). Stops when the
   * compilers and GC take under {@link #SETTLED_SHARE} of the API's CPU in two rounds in a row (one
   * quiet round was not enough: C2 had more to compile in the measured run after it, a tenth of the
   * API's CPU), or after {@link #MAX_SETTLING_ROUNDS}.
   */
  private static void settle(long apiPid, Path postgresData, Path lua, String base)
      throws Exception {
    int quiet = 0;
    for (int round = 1; round <= MAX_SETTLING_ROUNDS; round++) {
      CpuSnapshot before = CpuSnapshot.take(apiPid, postgresData);
      wrk(
          List.of("-t2", "-c" + CONNECTIONS, "-d10s", "-s", lua.toString(), base),
          "warm-up listings " + round);
      CpuSnapshot after = CpuSnapshot.take(apiPid, postgresData);
      double share = (after.jitMs(before) + after.gcMs(before)) / Math.max(1, after.apiMs(before));
      System.out.printf(Locale.ROOT, "  the API's JIT and GC: %.0f %% of its CPU%n", share * 100);
      quiet = share < SETTLED_SHARE ? quiet + 1 : 0;
      if (quiet == 2) {
        return;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  still compiling after %d rounds: the figures below understate a settled API%n",
        MAX_SETTLING_ROUNDS);
  }

  /**
   * CPU used so far by the API process (all of it, its JIT compiler threads, its GC threads), by
   * the embedded PostgreSQL (the API's pool keeps its backends open through a run) and by the whole
   * machine, in nanoseconds.
   */
  record CpuSnapshot(long api, long jit, long gc, long postgres, long machine) {
    static CpuSnapshot take(long apiPid, Path postgresData) {
      long api = 0;
      long jit = 0;
      long gc = 0;
      for (ProcCpu.Task t : ProcCpu.threads(apiPid)) {
        api += t.nanos();
        if (t.name().contains("CompilerThre")) {
          jit += t.nanos();
        } else if (t.name().startsWith("GC Thread") || t.name().startsWith("G1 ")) {
          gc += t.nanos();
        }
      }
      return new CpuSnapshot(
          api, jit, gc, ProcCpu.postgresNanos(postgresData), ProcCpu.machineNanos());
    }

    double apiMs(CpuSnapshot before) {
      return (api - before.api) / 1e6;
    }

    double jitMs(CpuSnapshot before) {
      return (jit - before.jit) / 1e6;
    }

    double gcMs(CpuSnapshot before) {
      return (gc - before.gc) / 1e6;
    }

    double postgresMs(CpuSnapshot before) {
      return (postgres - before.postgres) / 1e6;
    }

    double machineMs(CpuSnapshot before) {
      return (machine - before.machine) / 1e6;
    }
  }

  private static void print(String name, Figures api, Figures pg) {
    System.out.printf(
        Locale.ROOT,
        "%-20s %12.0f %12.0f %8.2f %7.2fms %7.2fms%n",
        name,
        api.rps,
        pg.rps,
        api.rps / pg.rps,
        api.p50,
        api.p99);
  }

  /**
   * 200,000 listings over the catalog: four in five for sale, one in ten removed, prices around
   * each model's.
   */
  private static List<String> seed(DatabaseUrl db) throws Exception {
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sources (name, adapter, base_url) SELECT 'bench-' || i, 'demo', 'http://bench/' || i"
              + " FROM generate_series(1, 8) i");
      st.execute(
          "CREATE TEMP TABLE m AS SELECT (row_number() OVER (ORDER BY slug) - 1)::int AS k, slug, name,"
              + " vram_gb, coalesce(fp32_tflops, 20) AS tf FROM gpu_models");
      st.execute(
          "INSERT INTO listings (source_id, external_id, kind, title, gpu_slug, price, currency, price_unit,"
              + " price_usd, gpu_count, vram_gb, condition, location, first_seen_at, last_seen_at, updated_at,"
              + " price_changed_at, active, removed_at)"
              + " SELECT 1 + i % 8, 'b' || i, CASE WHEN i % 5 = 0 THEN 'rental' ELSE 'sale' END, m.name || ' offer ' || i,"
              + " m.slug, p.price, 'USD', CASE WHEN i % 5 = 0 THEN 'hour' ELSE 'total' END, p.price,"
              + " CASE WHEN i % 5 = 0 THEN 1 + i % 4 ELSE 1 END, m.vram_gb,"
              + " (ARRAY['new', 'used', 'refurbished', 'unknown'])[1 + i % 4], 'US',"
              + " now() - interval '30 days' - (i % 720) * interval '1 hour', now() - (i % 720) * interval '1 hour',"
              + " now(), now(), i % 10 <> 0, CASE WHEN i % 10 = 0 THEN now() END"
              + " FROM generate_series(1, "
              + LISTINGS
              + ") i"
              + " JOIN m ON m.k = i % (SELECT count(*) FROM m)"
              + " CROSS JOIN LATERAL (SELECT round(CASE WHEN i % 5 = 0 THEN (m.tf * 0.012 + 0.1) * (0.7 + random() * 0.6)"
              + "   ELSE (m.tf * 22 + 120) * (0.7 + random() * 0.6) END::numeric, 2) AS price) p");
      st.execute(
          "INSERT INTO price_history (listing_id, observed_at, price, currency, price_usd)"
              + " SELECT id, first_seen_at, price, currency, price_usd FROM listings");
      st.execute("VACUUM ANALYZE");
      List<String> slugs = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT slug FROM gpu_models WHERE perf_index IS NOT NULL ORDER BY slug")) {
        while (rs.next()) {
          slugs.add(rs.getString(1));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "seeded %,d listings in %.1f s%n",
          LISTINGS,
          (System.nanoTime() - start) / 1e9);
      return Collections.unmodifiableList(slugs);
    }
  }

  private static String listingsLua(List<String> slugs) {
    StringBuilder lua = new StringBuilder("local slugs = {");
    for (String s : slugs) {
      lua.append('"').append(s).append("\",");
    }
    lua.append("}\n")
        .append("request = function()\n")
        .append(
            "  local path = \"/api/listings?gpu=\" .. slugs[math.random(#slugs)] .. \"&max_price=\" ..")
        .append(" math.random(100, 3000)\n")
        .append("  return wrk.format(\"GET\", path)\n")
        .append("end\n");
    return lua.toString();
  }

  static Process startApi(Path jar, DatabaseUrl db, int port) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("java"));
    // The production JVM flags (heap, GC, native memory), the file the image's ENTRYPOINT reads:
    // what is measured
    // here is what a deployment runs. -Dbench.apiJvmOptions=none starts the JVM with its own
    // defaults instead.
    String options = System.getProperty("bench.apiJvmOptions", API_JVM_OPTIONS);
    if (!options.equals("none")) {
      cmd.add("@" + Path.of(options).toAbsolutePath());
    }
    String extra = System.getProperty("bench.apiJvmArgs", "").trim();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+"))); // e.g. a flight recording of the API under load
    }
    cmd.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put(
        "DATABASE_URL",
        "postgres://"
            + db.user()
            + (db.password() == null ? "" : ":" + db.password())
            + "@"
            + db.host()
            + ":"
            + db.port()
            + "/"
            + db.database()
            + "?sslmode=disable");
    env.put("PORT", Integer.toString(port));
    env.put("RATE_LIMIT_PER_MINUTE", "0");
    env.put("LOG_LEVEL", "WARN");
    // Two connections per core of the machine PostgreSQL runs on (here the same two cores as the
    // API and wrk): more
    // backends than that only queue for the cores (pool 8 gave p99 57 ms where 4 gave 39 ms).
    env.putIfAbsent(
        "DB_POOL_SIZE",
        System.getProperty(
            "bench.pool", Integer.toString(2 * Runtime.getRuntime().availableProcessors())));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }

  static void awaitReady(int port) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the API did not become ready within 60 s");
  }

  static Figures wrk(List<String> args, String label) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("wrk"));
    cmd.addAll(args);
    String out = exec(cmd, Map.of());
    Matcher errors = WRK_ERRORS.matcher(out);
    if (errors.find()) {
      throw new IllegalStateException(
          label + ": " + errors.group(1) + " responses were not 2xx:\n" + out);
    }
    return parseWrk(out, label);
  }

  /** Rate and latency percentiles from wrk's output ({@code --latency}). */
  static Figures parseWrk(String out, String label) {
    Matcher rps = WRK_RPS.matcher(out);
    if (!rps.find()) {
      throw new IllegalStateException(label + ": no rate in wrk's output:\n" + out);
    }
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    Matcher pct = WRK_PCT.matcher(out);
    while (pct.find()) {
      double ms =
          Double.parseDouble(pct.group(2))
              * switch (pct.group(3)) {
                case "us" -> 0.001;
                case "s" -> 1000;
                default -> 1;
              };
      if (pct.group(1).equals("50")) {
        p50 = ms;
      } else {
        p99 = ms;
      }
    }
    Figures f = new Figures(Double.parseDouble(rps.group(1)), p50, p99);
    System.out.printf(
        Locale.ROOT, "%s: %.0f req/s, p50 %.2f ms, p99 %.2f ms%n", label, f.rps, f.p50, f.p99);
    return f;
  }

  private static Figures pgbench(Path dir, DatabaseUrl db, List<Path> scripts, String label)
      throws Exception {
    Path logs = Files.createDirectories(dir.resolve("pgbench-" + System.nanoTime()));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "pgbench",
                "-n",
                "-M",
                "prepared",
                "-c",
                Integer.toString(CONNECTIONS),
                "-j",
                "2",
                "-T",
                Integer.toString(SECONDS),
                "-l",
                "--log-prefix=" + logs.resolve("log"),
                "-h",
                db.host(),
                "-p",
                Integer.toString(db.port()),
                "-U",
                db.user()));
    for (Path s : scripts) {
      cmd.add("-f");
      cmd.add(s.toString());
    }
    cmd.add(db.database());
    String out = exec(cmd, Map.of("PGPASSWORD", db.password() == null ? "" : db.password()));
    Matcher tps = PGBENCH_TPS.matcher(out);
    if (!tps.find()) {
      throw new IllegalStateException(label + ": no tps in pgbench's output:\n" + out);
    }
    List<Long> latencies = new ArrayList<>();
    try (var files = Files.list(logs)) {
      for (Path f : files.toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          String[] parts = line.split(" ");
          if (parts.length >= 3) {
            latencies.add(Long.parseLong(parts[2]));
          }
        }
      }
    }
    Collections.sort(latencies);
    double p50 = latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() / 2) / 1000.0;
    double p99 =
        latencies.isEmpty() ? Double.NaN : latencies.get((int) (latencies.size() * 0.99)) / 1000.0;
    Figures f = new Figures(Double.parseDouble(tps.group(1)), p50, p99);
    System.out.printf(
        Locale.ROOT, "%s: %.0f tps, p50 %.2f ms, p99 %.2f ms%n", label, f.rps, f.p50, f.p99);
    return f;
  }

  private static String exec(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd.subList(0, 1)) + " failed:\n" + out);
    }
    return out;
  }

  private static long rssKb(long pid) throws IOException {
    return procStatusKb(pid, "VmRSS:");
  }

  /**
   * A size from /proc/PID/status: VmRSS (resident now) or VmHWM (the most it has been resident, its
   * peak).
   */
  private static long procStatusKb(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
