package dev.gputracker.worker.cli;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.config.WorkerMode;
import dev.gputracker.worker.demo.DemoMarketplace;
import dev.gputracker.worker.rates.RatesUpdater;
import dev.gputracker.worker.runtime.WorkerProcess;
import dev.gputracker.worker.runtime.WorkerRuntime;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Everything on one machine with no external service: an embedded PostgreSQL whose data directory
 * is kept between runs (so price history accumulates), the built-in demo marketplace, one worker
 * run over it, then the API jar on {@code PORT} (default 8080) until Ctrl-C. {@code --no-api} stops
 * after the run. {@code --oneshot}, from a second terminal while a {@code local} runs, scrapes the
 * demo marketplace once more into that stack's database (its API shows the new figures at once);
 * with no stack running it is {@code --no-api}.
 *
 * <p>Stopping is ordered by one shutdown hook: the API first, then the run in flight, then
 * PostgreSQL, so nothing still connected sees its server go away.
 */
public final class LocalCommand implements Command {
  static final String DEMO_ADAPTERS_PREFIX = "demo";
  static final String ONESHOT_COMMAND =
      "java -jar services/worker/target/gpu-tracker-worker.jar local --oneshot";

  @Override
  public String name() {
    return "local";
  }

  @Override
  public String summary() {
    return "embedded PostgreSQL + demo marketplace + one run + the API on :8080   [--no-api] [--oneshot]";
  }

  @Override
  public int run(Env env, List<String> args) throws Exception {
    boolean oneshot = args.contains("--oneshot");
    boolean withApi = !oneshot && !args.contains("--no-api");
    Path dataDir = Path.of(env.string("LOCAL_DATA_DIR", "data/postgres")).toAbsolutePath();
    int apiPort = env.integer("PORT", 8080, 1, 65535);

    Optional<LocalStack> running = LocalStack.find(dataDir);
    if (running.isPresent()) {
      LocalStack stack = running.get();
      if (!oneshot) {
        throw new ConfigException(
            "a local stack already runs on "
                + dataDir
                + " (pid "
                + stack.pid()
                + (stack.apiUrl().isEmpty() ? "" : ", API on " + stack.apiUrl())
                + "): scrape into it with `"
                + ONESHOT_COMMAND
                + "`, or stop it first");
      }
      System.out.println(
          "Scraping into the running local stack (pid "
              + stack.pid()
              + "): "
              + stack.databaseUrl());
      return scrapeDemo(env, DatabaseUrl.parse("DATABASE_URL", stack.databaseUrl()));
    }

    Optional<Path> apiJar = withApi ? Optional.of(apiJar(env)) : Optional.empty();
    System.out.println("Starting embedded PostgreSQL in " + dataDir + " ...");
    EmbeddedDatabase postgres = startPostgres(dataDir, env.integer("LOCAL_PG_PORT", 0, 0, 65535));
    DatabaseUrl database = postgres.url("gpu_tracker");
    Stopper stopper =
        new Stopper(
            postgres, dataDir, WorkerConfig.from(env, database).shutdownGrace().toSeconds());
    Runtime.getRuntime().addShutdownHook(new Thread(stopper, "local-stop"));
    String databaseUrl = plainUrl(database);
    new LocalStack(
            ProcessHandle.current().pid(),
            databaseUrl,
            withApi ? "http://localhost:" + apiPort + "/" : "")
        .write(dataDir);
    System.out.println(
        "PostgreSQL: " + databaseUrl + "  (psql, or DATABASE_URL for the worker's other commands)");
    Migrator.migrate(database);

    int status;
    try {
      status = scrapeDemo(env, database);
    } finally {
      stopper.runDone.countDown();
    }
    if (apiJar.isEmpty()) {
      return status;
    }
    return serveApi(apiJar.get(), databaseUrl, apiPort, stopper);
  }

  /**
   * One oneshot run over the demo sources (and the operator's own, with SOURCES_FILE) into {@code
   * database}.
   */
  private static int scrapeDemo(Env env, DatabaseUrl database) {
    // The API takes PORT; the worker's health port is not needed here, so any free one will do.
    WorkerConfig config =
        WorkerConfig.from(env, database).withMode(WorkerMode.ONESHOT).withHttpPort(0);
    WorkerRuntime runtime = WorkerRuntime.start(config);
    runtime.startEvents(config.kafka(), config.retention());
    DemoMarketplace demo =
        new DemoMarketplace(
            "127.0.0.1", env.integer("DEMO_PORT", 0, 0, 65535), System.currentTimeMillis());
    runtime.vertx().deployVerticle(demo).await();
    URI demoUrl = URI.create("http://127.0.0.1:" + demo.port() + "/");
    boolean ownSources = env.optional("SOURCES_FILE").isPresent();
    List<SourceConfig> sources = new ArrayList<>();
    for (SourceConfig s : config.sources()) {
      // The demo sources point at the marketplace just started. The ECB rates are fetched when the
      // network allows,
      // the bundled rates standing in when it does not. Other sources run only from an operator's
      // own SOURCES_FILE:
      // the local run needs no internet unless asked.
      if (s.adapter().startsWith(DEMO_ADAPTERS_PREFIX)) {
        sources.add(s.withBaseUrl(demoUrl));
      } else if (ownSources || RatesUpdater.isRatesSource(s)) {
        sources.add(s);
      }
    }
    return new WorkerProcess(config.withSources(sources), runtime, System.out).execute();
  }

  private static EmbeddedDatabase startPostgres(Path dataDir, int port) {
    try {
      return EmbeddedDatabase.start(dataDir, port);
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).contains("could not lock")) {
        // Another process holds the embedded server's lock file but left no record of a local
        // stack.
        throw new ConfigException(
            "the data directory "
                + dataDir
                + " is in use by another process (it holds "
                + dataDir.resolve("epg-lock")
                + "): stop it, or set LOCAL_DATA_DIR to another directory");
      }
      throw e;
    }
  }

  private static int serveApi(Path jar, String databaseUrl, int port, Stopper stopper)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java));
    // The API's production JVM flags (services/api/jvm.options, beside the developer build's
    // target/), so the local
    // API runs in the memory a deployment gives it.
    Path options = jar.toAbsolutePath().getParent().resolveSibling("jvm.options");
    if (Files.isRegularFile(options)) {
      command.add("@" + options);
    }
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    Map<String, String> childEnv = builder.environment();
    childEnv.put("DATABASE_URL", databaseUrl);
    childEnv.put("PORT", Integer.toString(port));
    Process api = builder.start();
    stopper.api = api;
    System.out.println();
    System.out.println(
        "Browse the collected listings: http://localhost:" + port + "/  (Ctrl-C stops everything)");
    System.out.println("Scrape again from another terminal: " + ONESHOT_COMMAND);
    return api.waitFor();
  }

  private static String plainUrl(DatabaseUrl database) {
    return "postgres://"
        + database.user()
        + ":"
        + database.password()
        + "@"
        + database.host()
        + ":"
        + database.port()
        + "/"
        + database.database()
        + "?sslmode=disable";
  }

  /**
   * The shutdown hook: the API (its connections close before their server goes), then the run in
   * flight (it finishes its page, as a worker does on SIGTERM), then PostgreSQL and the stack's
   * record. Says what it stopped.
   */
  private static final class Stopper implements Runnable {
    private final EmbeddedDatabase postgres;
    private final Path dataDir;
    private final long graceSeconds;
    final CountDownLatch runDone = new CountDownLatch(1);
    volatile Process api;

    Stopper(EmbeddedDatabase postgres, Path dataDir, long graceSeconds) {
      this.postgres = postgres;
      this.dataDir = dataDir;
      this.graceSeconds = graceSeconds;
    }

    @Override
    public void run() {
      try {
        Process p = api;
        if (p != null && p.isAlive()) {
          p.destroy();
          if (p.waitFor(graceSeconds + 5, TimeUnit.SECONDS)) {
            System.out.println("Stopped the API");
          } else {
            p.destroyForcibly();
            System.out.println(
                "Killed the API: it did not stop within " + (graceSeconds + 5) + " s");
          }
        }
        if (!runDone.await(graceSeconds + 10, TimeUnit.SECONDS)) {
          System.out.println(
              "The run did not finish within " + (graceSeconds + 10) + " s; stopping PostgreSQL");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      LocalStack.remove(dataDir);
      postgres.close();
      System.out.println("Stopped PostgreSQL (data kept in " + dataDir + ")");
    }
  }

  /** The API jar beside this worker jar in the build tree, or {@code API_JAR}. */
  private static Path apiJar(Env env) {
    Optional<String> explicit = env.optional("API_JAR");
    Path jar;
    if (explicit.isPresent()) {
      jar = Path.of(explicit.get());
    } else {
      Path self = selfLocation();
      // services/worker/target/gpu-tracker-worker.jar -> services/api/target/gpu-tracker-api.jar
      jar = self.getParent().resolve("../../api/target/gpu-tracker-api.jar").normalize();
    }
    if (!Files.isRegularFile(jar)) {
      throw new ConfigException(
          "the API jar is not at "
              + jar
              + ": build it with `mvn -DskipTests package` or set"
              + " API_JAR (or run `local --no-api`)");
    }
    return jar;
  }

  private static Path selfLocation() {
    try {
      return new File(
              LocalCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toPath();
    } catch (Exception e) {
      return Path.of("services/worker/target/gpu-tracker-worker.jar").toAbsolutePath();
    }
  }
}
