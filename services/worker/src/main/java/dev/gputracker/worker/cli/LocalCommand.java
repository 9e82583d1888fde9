package dev.gputracker.worker.cli;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import dev.gputracker.worker.WorkerProcess;
import dev.gputracker.worker.WorkerRuntime;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.config.WorkerMode;
import dev.gputracker.worker.demo.DemoMarketplace;
import dev.gputracker.worker.rates.RatesUpdater;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything on one machine with no external service: an embedded PostgreSQL whose data directory is kept between
 * runs (so price history accumulates), the built-in demo marketplace, one worker run over it, then the API jar on
 * {@code PORT} (default 8080) until Ctrl-C. {@code --no-api} stops after the run.
 */
public final class LocalCommand implements Command {
  static final String DEMO_ADAPTERS_PREFIX = "demo";

  @Override
  public String name() {
    return "local";
  }

  @Override
  public String summary() {
    return "embedded PostgreSQL + demo marketplace + one run + the API on :8080   [--no-api]";
  }

  @Override
  public int run(List<String> args) throws Exception {
    boolean withApi = !args.contains("--no-api");
    Env env = Env.system();
    Path dataDir = Path.of(env.string("LOCAL_DATA_DIR", "data/postgres")).toAbsolutePath();
    int apiPort = env.integer("PORT", 8080, 1, 65535);
    Optional<Path> apiJar = withApi ? Optional.of(apiJar(env)) : Optional.empty();

    System.out.println("Starting embedded PostgreSQL in " + dataDir + " ...");
    EmbeddedDatabase postgres = EmbeddedDatabase.start(dataDir, env.integer("LOCAL_PG_PORT", 0, 0, 65535));
    Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "embedded-postgres-stop"));
    DatabaseUrl database = postgres.url("gpu_tracker");
    Migrator.migrate(database);

    // The API takes PORT; the worker's health port is not needed here, so any free one will do.
    WorkerConfig config = WorkerConfig.from(env, database).withMode(WorkerMode.ONESHOT).withHttpPort(0);
    WorkerRuntime runtime = WorkerRuntime.start(config);
    runtime.startEvents(dev.gputracker.worker.events.KafkaSettings.from(env));
    DemoMarketplace demo = new DemoMarketplace("127.0.0.1", env.integer("DEMO_PORT", 0, 0, 65535),
        System.currentTimeMillis());
    runtime.vertx().deployVerticle(demo).await();
    URI demoUrl = URI.create("http://127.0.0.1:" + demo.port() + "/");
    boolean ownSources = env.optional("SOURCES_FILE").isPresent();
    List<SourceConfig> sources = new ArrayList<>();
    for (SourceConfig s : config.sources()) {
      // The demo sources point at the marketplace just started. The ECB rates are fetched when the network allows,
      // the bundled rates standing in when it does not. Other sources run only from an operator's own SOURCES_FILE:
      // the local run needs no internet unless asked.
      if (s.adapter().startsWith(DEMO_ADAPTERS_PREFIX)) {
        sources.add(s.withBaseUrl(demoUrl));
      } else if (ownSources || RatesUpdater.isRatesSource(s)) {
        sources.add(s);
      }
    }
    int status = new WorkerProcess(config.withSources(sources), runtime, System.out).execute();
    if (apiJar.isEmpty()) {
      return status;
    }
    return serveApi(apiJar.get(), database, apiPort);
  }

  private static int serveApi(Path jar, DatabaseUrl database, int port) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString()).inheritIO();
    Map<String, String> childEnv = builder.environment();
    childEnv.put("DATABASE_URL", "postgres://" + database.user() + ":" + database.password() + "@" + database.host()
        + ":" + database.port() + "/" + database.database() + "?sslmode=disable");
    childEnv.put("PORT", Integer.toString(port));
    Process api = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(api::destroy, "api-stop"));
    System.out.println();
    System.out.println("Browse the collected listings: http://localhost:" + port + "/  (Ctrl-C stops everything)");
    return api.waitFor();
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
      throw new ConfigException("the API jar is not at " + jar + ": build it with `mvn -DskipTests package` or set"
          + " API_JAR (or run `local --no-api`)");
    }
    return jar;
  }

  private static Path selfLocation() {
    try {
      return new File(LocalCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toPath();
    } catch (Exception e) {
      return Path.of("services/worker/target/gpu-tracker-worker.jar").toAbsolutePath();
    }
  }
}
