package dev.gputracker.worker.jobs.cli;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.worker.config.ComponentSettings;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.gpu.GpuDetection;
import dev.gputracker.worker.gpu.GpuDetector;
import dev.gputracker.worker.gpu.GpuSettings;
import dev.gputracker.worker.jobs.JobService;
import dev.gputracker.worker.jobs.JobSettings;
import dev.gputracker.worker.jobs.queue.JobLimits;
import dev.gputracker.worker.jobs.queue.JobOutcome;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.jobs.queue.JobSpec;
import dev.gputracker.worker.jobs.queue.WorkerRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code jobs submit|list|show|cancel|run}: the operator's view of the job queue. DATABASE_URL
 * comes from the environment. Exit codes: 0 ok, 1 not found, 2 usage or configuration error.
 */
public final class JobsCommand {
  static final String USAGE =
      """
      usage: jobs submit --kind noop|command|container|gpu-benchmark [--image IMAGE] [--key K] [--priority N]
                         [--timeout S] [--gpus N] [--min-vram GB] [--max-attempts N] [--env K=V]...
                         [--network] [--memory MiB] [--cpus N] [-- argv...]
             jobs list [--state S] [--kind K] [--limit N] [--before ID]
             jobs show ID
             jobs cancel ID
             jobs run [--capacity N] [--lease S] [--poll-ms MS] [--oneshot]""";

  /**
   * The log {@code jobs show} prints: all a job may keep (64 KiB), where the public API shows 16
   * KiB.
   */
  static final int SHOW_LOG_CHARS = JobOutcome.MAX_LOG_TAIL;

  /** The most state changes {@code jobs show} prints (the API: 500). */
  static final int SHOW_EVENTS_MAX = 10_000;

  private final Env env;
  private final PrintStream out;
  private final PrintStream err;

  public JobsCommand(Env env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) throws Exception {
    System.exit(new JobsCommand(Env.system(), System.out, System.err).run(List.of(args)));
  }

  public int run(List<String> args) throws Exception {
    if (args.isEmpty()) {
      err.println(USAGE);
      return 2;
    }
    DatabaseUrl url;
    try {
      url = DatabaseUrl.fromEnv(env);
    } catch (ConfigException e) {
      err.println("jobs: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, url, "jobs-cli", 4);
      JobQueue queue = new JobQueue(pool);
      List<String> rest = args.subList(1, args.size());
      return switch (args.get(0)) {
        case "submit" -> submit(queue, rest);
        case "list" -> list(queue, rest);
        case "show" -> show(queue, rest);
        case "cancel" -> cancel(queue, rest);
        case "run" -> runner(vertx, pool, url, rest);
        default -> usage("unknown subcommand " + args.get(0));
      };
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    } finally {
      vertx.close().await();
    }
  }

  private int usage(String message) {
    err.println("jobs: " + message);
    err.println(USAGE);
    return 2;
  }

  private int submit(JobQueue queue, List<String> args) {
    String kind = null;
    String image = null;
    boolean network = false;
    Integer memory = null;
    Double cpus = null;
    String key = null;
    int priority = 0;
    int timeout = 3600;
    int gpus = 0;
    int attempts = 3;
    Double vram = null;
    JsonObject jobEnv = new JsonObject();
    List<String> argv = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        argv.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (a.equals("--network")) {
        network = true;
        continue;
      }
      String v = value(args, i++);
      switch (a) {
        case "--kind" -> kind = v;
        case "--image" -> image = v;
        case "--memory" -> memory = integer(a, v);
        case "--cpus" -> cpus = number(a, v);
        case "--key" -> key = v;
        case "--priority" -> priority = integer(a, v);
        case "--timeout" -> timeout = integer(a, v);
        case "--gpus" -> gpus = integer(a, v);
        case "--max-attempts" -> attempts = integer(a, v);
        case "--min-vram" -> vram = number(a, v);
        case "--env" -> {
          int eq = v.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--env needs K=V, got " + v);
          }
          jobEnv.put(v.substring(0, eq), v.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (kind == null) {
      throw new IllegalArgumentException("--kind is required");
    }
    JobSpec spec =
        new JobSpec(
                kind,
                image,
                argv,
                jobEnv,
                gpus,
                vram,
                timeout,
                priority,
                attempts,
                key,
                new JobLimits(network, memory, cpus))
            .validate();
    long id = queue.submit(spec).await();
    out.println(new JsonObject().put("id", id).encode());
    return 0;
  }

  private int list(JobQueue queue, List<String> args) {
    String state = null;
    String kind = null;
    int limit = 50;
    long before = Long.MAX_VALUE;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String v = value(args, i++);
      switch (a) {
        case "--state" -> state = v;
        case "--kind" -> kind = v;
        case "--limit" -> limit = integer(a, v);
        case "--before" -> before = jobId(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("--limit must be 1..10000");
    }
    out.printf(
        "%-8s %-14s %-10s %8s %8s %6s  %s%n",
        "ID", "KIND", "STATE", "PRIORITY", "ATTEMPTS", "EXIT", "CREATED");
    // One more than asked tells whether there is a next page.
    List<JsonObject> jobs = queue.list(state, kind, before, limit + 1).await();
    for (JsonObject j : jobs.subList(0, Math.min(limit, jobs.size()))) {
      out.printf(
          "%-8d %-14s %-10s %8d %8d %6s  %s%n",
          j.getLong("id"),
          j.getString("kind"),
          j.getString("state"),
          j.getInteger("priority"),
          j.getInteger("attempts"),
          j.getValue("exit_code") == null ? "-" : j.getValue("exit_code"),
          j.getString("created_at"));
    }
    if (jobs.size() > limit) {
      out.println("more: jobs list --before " + jobs.get(limit - 1).getLong("id"));
    }
    return 0;
  }

  private int show(JobQueue queue, List<String> args) {
    JsonObject job = queue.show(id(args), SHOW_LOG_CHARS, SHOW_EVENTS_MAX).await();
    if (job == null) {
      err.println("jobs: no job " + args.get(0));
      return 1;
    }
    out.println(job.encodePrettily());
    return 0;
  }

  private int cancel(JobQueue queue, List<String> args) {
    long id = id(args);
    boolean ok = queue.cancel(id).await();
    out.println(new JsonObject().put("id", id).put("cancelled", ok).encode());
    return ok ? 0 : 1;
  }

  private int runner(Vertx vertx, Pool pool, DatabaseUrl url, List<String> args) throws Exception {
    int capacity = 64;
    int lease = 30;
    long poll = 2_000;
    boolean oneshot = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--oneshot")) {
        oneshot = true;
        continue;
      }
      String v = value(args, i++);
      switch (a) {
        case "--capacity" -> capacity = integer(a, v);
        case "--lease" -> lease = integer(a, v);
        case "--poll-ms" -> poll = integer(a, v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    JobSettings settings;
    GpuSettings gpuSettings;
    try {
      // Read once, before anything starts: a bad value stops here.
      settings = ComponentSettings.jobs(env).withCapacity(capacity);
      gpuSettings = ComponentSettings.gpu(env);
    } catch (ConfigException e) {
      err.println("jobs: " + e.getMessage());
      return 2;
    }
    String owner = env.string("WORKER_ID", "worker-" + UUID.randomUUID());
    GpuDetection detected = new GpuDetector(gpuSettings).detect(vertx).await();
    JobService jobs =
        JobService.start(
                vertx, pool, url, settings, owner, detected, new JobService.Timing(lease, poll))
            .await();
    // The runner's row in workers: its GPUs, its capacity, a heartbeat, stopped on the way out.
    WorkerRegistry registry =
        new WorkerRegistry(
            vertx,
            pool,
            new WorkerRegistry.Registration(
                owner,
                WorkerConfig.hostName(),
                detected,
                capacity,
                WorkerRegistry.version(),
                settings.heartbeat()));
    registry.start().await();
    if (oneshot) {
      try {
        out.println(new JsonObject().put("ran", jobs.runQueuedNow().await()).encode());
      } finally {
        jobs.stop(vertx, Duration.ZERO).await();
        registry.stop().await();
      }
      return 0;
    }
    Duration grace = Duration.ofSeconds(env.integer("SHUTDOWN_GRACE_SECONDS", 25, 1, 3600));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  jobs.stop(vertx, grace).await();
                  registry.stop().await();
                },
                "worker-stopped"));
    vertx.deployVerticle(jobs.runner()).await();
    out.println(new JsonObject().put("worker", owner).put("started", true).encode());
    out.flush();
    Thread.currentThread().join();
    return 0;
  }

  private static long id(List<String> args) {
    if (args.size() != 1) {
      throw new IllegalArgumentException("expected one job id");
    }
    return jobId(args.get(0));
  }

  private static long jobId(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("job id must be a number, got " + v);
    }
  }

  private static String value(List<String> args, int i) {
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(args.get(i) + " needs a value");
    }
    return args.get(i + 1);
  }

  private static int integer(String name, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got " + v);
    }
  }

  private static double number(String name, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got " + v);
    }
  }
}
