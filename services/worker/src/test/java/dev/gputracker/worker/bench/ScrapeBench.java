package dev.gputracker.worker.bench;

import dev.gputracker.shared.bench.ProcCpu;
import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.worker.config.FallbackRates;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.config.WorkerMode;
import dev.gputracker.worker.normalize.Normalization;
import dev.gputracker.worker.normalize.TitleNormalizer;
import dev.gputracker.worker.persist.ListingStore;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.SourceStore;
import dev.gputracker.worker.persist.StoredListing;
import dev.gputracker.worker.runtime.WorkerRuntime;
import dev.gputracker.worker.scrape.ProgressListener;
import dev.gputracker.worker.scrape.RunReport;
import dev.gputracker.worker.scrape.adapters.amazon.AmazonAdapter;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.fetch.Fetcher;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import dev.gputracker.worker.scrape.model.SourceReport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scrape benchmark behind {@code bench/scrape.sh}: a local server serves {@code PAGES} copies
 * of a saved Amazon results page (each with its own ASINs and a next link to the following copy),
 * and the worker's real engine runs fetch → parse → normalise → store over them, as {@code CHAINS}
 * sources sharing the host: once in a fresh JVM (JIT compiling as it goes), then unmeasured until
 * the JIT has caught up ({@link #settle}), and once more, over as many other copies, warm: what a
 * worker that has been running does. Each run reports its CPU per page by part (worker threads, JIT
 * and GC, the static server, PostgreSQL). Then each stage is timed alone over the same pages to
 * give the share of time in fetch, parse and store. Last line: {@code RESULT ...}, whose
 * pages_per_s is the warm run's and cold_pages_per_s the first run's.
 */
public final class ScrapeBench {
  private static final int PAGES = Integer.getInteger("bench.pages", 500);
  private static final int CHAINS = Integer.getInteger("bench.chains", 4);

  /**
   * Copies of the page kept for the stage timings: after the chains of the timed run (0 to CHAINS -
   * 1), chain CHAINS. The warm-up run's chains follow it.
   */
  private static final int STAGE_CHAIN = CHAINS;

  /** Most unmeasured runs between the first run and the measured one (see {@link #settle}). */
  private static final int MAX_SETTLING_RUNS = 6;

  private ScrapeBench() {}

  public static void main(String[] args) throws Exception {
    Path page =
        Path.of(args.length > 0 ? args[0] : "../shared/fixtures/amazon/listings_COM_1.html");
    if (!Files.isRegularFile(page)) {
      System.err.println(
          "the saved Amazon page is not at " + page + " (pass its path as the first argument)");
      System.exit(1);
    }
    String template =
        Files.readString(page, StandardCharsets.UTF_8)
            .replaceAll(
                "(<a[^>]*?)href=\"[^\"]*\"([^>]*s-pagination-next)", "$1href=\"__NEXT__\"$2")
            .replaceAll(
                "(class=\"[^\"]*s-pagination-next[^\"]*\"[^>]*?)href=\"[^\"]*\"",
                "$1href=\"__NEXT__\"");
    Path dir = Files.createTempDirectory("gpu-tracker-scrape-bench");
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start(dir, 0)) {
      DatabaseUrl db = postgres.url("bench");
      Migrator.migrate(db);
      // A static server: every copy is rendered once up front (own ASINs, a next link to the
      // following copy), so
      // serving costs only the write and the measurement is the worker's, not the page generator's.
      int perChain = PAGES / CHAINS;
      Buffer[][] copies = new Buffer[2 * CHAINS + 1][perChain + 1];
      for (int c = 0; c < copies.length; c++) {
        for (int n = 1; n <= perChain; n++) {
          String next =
              n < perChain ? "/s?c=" + c + "&amp;page=" + (n + 1) : "/s?c=" + c + "&amp;page=" + n;
          copies[c][n] =
              Buffer.buffer(
                  template
                      .replace("__NEXT__", next)
                      .replace("data-asin=\"", "data-asin=\"c" + c + "p" + n + "-")
                      .getBytes(StandardCharsets.UTF_8));
        }
      }
      Vertx serverVertx = Vertx.vertx();
      // The server's threads, so that its CPU can be told apart from the worker's in this one JVM.
      Set<Long> serverThreads = ConcurrentHashMap.newKeySet();
      HttpServer server =
          serverVertx
              .createHttpServer()
              .requestHandler(
                  req -> {
                    serverThreads.add(Thread.currentThread().getId());
                    if (req.path().equals("/robots.txt")) {
                      req.response().end("User-agent: *\nAllow: /\n");
                      return;
                    }
                    int chain =
                        Math.min(
                            copies.length - 1,
                            Math.max(0, Integer.parseInt(req.getParam("c", "0"))));
                    int n =
                        Math.min(
                            perChain, Math.max(1, Integer.parseInt(req.getParam("page", "1"))));
                    req.response()
                        .putHeader("content-type", "text/html; charset=utf-8")
                        .end(copies[chain][n]);
                  })
              .listen(0, "127.0.0.1")
              .await();
      String base = "http://127.0.0.1:" + server.actualPort();
      try {
        run(db, base, template.length(), new Cpu(dir, serverThreads));
      } finally {
        serverVertx.close().await();
      }
    }
  }

  /**
   * Where the CPU goes: the worker's event loops (HTTP client, PostgreSQL client, the engine's
   * steps), its worker threads (parsing and normalising), the rest of its threads, the JVM's
   * internal threads (JIT compilers and GC: a fresh JVM pays for compiling jsoup, the parser and
   * the clients), the static server, PostgreSQL.
   */
  private record Cpu(Path postgresData, Set<Long> serverThreads) {
    /** The index of "JIT compilers and GC" in {@link #PARTS} and in a run's CPU per page. */
    static final int JIT_GC = 3;

    static final String[] PARTS = {
      "event loops",
      "worker threads",
      "other threads",
      "JIT compilers and GC",
      "static server",
      "PostgreSQL"
    };

    long[] now() {
      long server = CpuClock.threadsNanos(serverThreads);
      long loops =
          CpuClock.threadsNanos(CpuClock.threadsNamed("vert.x-eventloop-thread-")) - server;
      long workers = CpuClock.threadsNanos(CpuClock.threadsNamed("vert.x-worker-thread-"));
      long javaThreads = CpuClock.allThreadsNanos();
      return new long[] {
        loops,
        workers,
        javaThreads - server - loops - workers,
        CpuClock.jvmNanos() - javaThreads,
        server,
        ProcCpu.postgresNanos(postgresData)
      };
    }

    static double[] perPage(long[] before, long[] after, int pages) {
      double[] ms = new double[before.length];
      for (int i = 0; i < ms.length; i++) {
        ms[i] = (after[i] - before[i]) / 1e6 / Math.max(1, pages);
      }
      return ms;
    }
  }

  /**
   * Runs the engine again, unmeasured, until the JIT has caught up (at most {@link
   * #MAX_SETTLING_RUNS} times). On two cores C2 is still promoting the parser's and the clients'
   * hot methods for several hundred pages after the first run: a worker that has been running for a
   * while has long finished that, and the measured run is meant to be that worker, not the compile
   * queue. Settled means the JVM's own threads (JIT compilers and GC) took less than 15 % of a
   * run's CPU. (The JIT's reported compile time is no guide: it counts a compile's wall time, and
   * on two busy cores that stays high after the compiled code has stopped changing.)
   */
  private static void settle(WorkerRuntime runtime, List<List<SourceConfig>> rounds, Cpu cpu) {
    for (int r = 0; r < rounds.size(); r++) {
      EngineRun run = EngineRun.of(runtime, rounds.get(r), cpu);
      double jitGc = run.cpuMs()[Cpu.JIT_GC];
      double total = Arrays.stream(run.cpuMs()).sum();
      System.out.printf(
          Locale.ROOT,
          "settling run %d: %.1f pages/s, JIT compilers and GC %.1f of %.1f ms CPU a page%n",
          r + 1,
          run.pagesPerSecond(),
          jitGc,
          total);
      if (jitGc < 0.15 * total) {
        return;
      }
    }
  }

  private static void run(DatabaseUrl db, String base, int pageBytes, Cpu cpu) throws Exception {
    SourceConfig.FetchSettings fast =
        new SourceConfig.FetchSettings(
            List.of(),
            true,
            100_000,
            16,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            1,
            5L * 1024 * 1024,
            Optional.empty());
    List<SourceConfig> sources = new ArrayList<>();
    List<SourceConfig> warmup = new ArrayList<>();
    for (int c = 0; c < CHAINS; c++) {
      sources.add(
          new SourceConfig(
              "amazon-bench-" + c,
              "amazon",
              URI.create(base + "/s?c=" + c + "&page=1"),
              true,
              PAGES,
              fast,
              new JsonObject()));
      int w = STAGE_CHAIN + 1 + c;
      warmup.add(
          new SourceConfig(
              "amazon-warmup-" + c,
              "amazon",
              URI.create(base + "/s?c=" + w + "&page=1"),
              true,
              PAGES,
              fast,
              new JsonObject()));
    }
    // Unmeasured runs between the two: the same pages as the first run under other source names, so
    // each inserts as
    // much as the first.
    List<List<SourceConfig>> settling = new ArrayList<>();
    for (int r = 1; r <= MAX_SETTLING_RUNS; r++) {
      List<SourceConfig> round = new ArrayList<>();
      for (SourceConfig w : warmup) {
        round.add(
            new SourceConfig(
                w.name().replace("warmup", "settle" + r),
                "amazon",
                w.baseUrl(),
                true,
                PAGES,
                fast,
                new JsonObject()));
      }
      settling.add(round);
    }
    List<SourceConfig> all = new ArrayList<>(sources);
    all.addAll(warmup);
    settling.forEach(all::addAll);
    WorkerConfig config =
        new WorkerConfig(
            db,
            WorkerMode.ONESHOT,
            Duration.ofHours(1),
            all,
            "bench",
            8,
            Duration.ofSeconds(30),
            0,
            FallbackRates.from(new Env(Map.of())));
    System.out.printf(
        Locale.ROOT,
        "%d copies of a %,d-byte Amazon page, %d sources in parallel, embedded PostgreSQL%n",
        PAGES,
        pageBytes,
        CHAINS);
    WorkerRuntime runtime = WorkerRuntime.start(config);
    EngineRun cold;
    EngineRun warm;
    try {
      // The same run over different pages (own ASINs, so the measured run inserts as much as the
      // first): the first
      // pays for the JIT compiling jsoup, the parser and the clients, as any fresh JVM does; the
      // measured one is
      // what a worker that has been running does.
      cold = EngineRun.of(runtime, warmup, cpu);
      cold.print("first run (fresh JVM)");
      settle(runtime, settling, cpu);
      warm = EngineRun.of(runtime, sources, cpu);
      warm.print("measured run (warm JVM)");
    } finally {
      runtime.close();
    }
    double[] engineCpu = warm.cpuMs();

    // Each stage alone over the same pages, single-threaded, for the shares.
    Vertx vertx = Vertx.vertx();
    Fetcher fetcher = new Fetcher(vertx);
    List<FetchedPage> fetched = new ArrayList<>();
    int sample = Math.min(100, PAGES / CHAINS);
    long t0 = System.nanoTime();
    for (int n = 1; n <= sample; n++) {
      fetched.add(
          fetcher.fetch(URI.create(base + "/s?c=" + STAGE_CHAIN + "&page=" + n), fast).await());
    }
    double fetchMs = (System.nanoTime() - t0) / 1e6 / sample;
    AmazonAdapter amazon = new AmazonAdapter();
    TitleNormalizer normalizer = new TitleNormalizer(GpuCatalog.load());
    List<List<StoredListing>> parsed = new ArrayList<>();
    long t1 = System.nanoTime();
    for (FetchedPage p : fetched) {
      List<StoredListing> kept = new ArrayList<>();
      for (ScrapedListing l : amazon.parse(p, sources.get(0)).listings()) {
        Normalization n = normalizer.normalize(l.title());
        if (n.accepted()) {
          kept.add(new StoredListing(l, n.slug(), l.price()));
        }
      }
      parsed.add(kept);
    }
    double parseMs = (System.nanoTime() - t1) / 1e6 / fetched.size();
    Pool pool = Database.pool(vertx, db, "bench-store", 2);
    SourceConfig stageSource =
        new SourceConfig(
            "amazon-bench-stages",
            "amazon",
            URI.create(base + "/"),
            true,
            1,
            fast,
            new JsonObject());
    int sourceId =
        new SourceStore(pool).sync(List.of(stageSource)).await().get("amazon-bench-stages");
    long runId = new RunStore(pool).startRun("bench", "oneshot").await();
    ListingStore store = new ListingStore(pool);
    long t2 = System.nanoTime();
    long[] storeCpuBefore = cpu.now();
    for (List<StoredListing> page : parsed) {
      store.writePage(sourceId, runId, ListingKind.SALE, page).await();
    }
    double storeMs = (System.nanoTime() - t2) / 1e6 / parsed.size();
    double storePgMs = Cpu.perPage(storeCpuBefore, cpu.now(), parsed.size())[5];
    fetcher.close().await();
    pool.close().await();
    vertx.close().await();
    double total = fetchMs + parseMs + storeMs;
    System.out.printf(
        Locale.ROOT,
        "per page, each stage alone: fetch %.2f ms, parse+normalise %.2f ms, store %.2f ms"
            + " (PostgreSQL CPU %.2f ms of it)%n",
        fetchMs,
        parseMs,
        storeMs,
        storePgMs);
    System.out.printf(
        Locale.ROOT,
        "RESULT pages_per_s=%.1f listings_per_s=%.0f fetch_share=%.2f parse_share=%.2f store_share=%.2f"
            + " worker_cpu_ms=%.2f jit_gc_cpu_ms=%.2f server_cpu_ms=%.2f postgres_cpu_ms=%.2f cold_pages_per_s=%.1f%n",
        warm.pagesPerSecond(),
        warm.listings() / warm.seconds(),
        fetchMs / total,
        parseMs / total,
        storeMs / total,
        engineCpu[0] + engineCpu[1] + engineCpu[2],
        engineCpu[Cpu.JIT_GC],
        engineCpu[4],
        engineCpu[5],
        cold.pagesPerSecond());
  }

  /**
   * One engine run over {@code sources}: its pages and listings, its wall time and its CPU per
   * page.
   */
  private record EngineRun(
      int pages, int listings, double seconds, String status, double[] cpuMs, double gcPauseMs) {
    static EngineRun of(WorkerRuntime runtime, List<SourceConfig> sources, Cpu cpu) {
      long start = System.nanoTime();
      long[] before = cpu.now();
      long gcBefore = gcPauseMillis();
      RunReport report =
          runtime.engine().run(sources, WorkerMode.ONESHOT, ProgressListener.NONE).await();
      long[] after = cpu.now(); // before the pool closes: a backend's time leaves with it
      double seconds = (System.nanoTime() - start) / 1e9;
      int pages = report.sources().stream().mapToInt(SourceReport::pages).sum();
      int listings = report.sources().stream().mapToInt(r -> r.seen() + r.rejected()).sum();
      return new EngineRun(
          pages,
          listings,
          seconds,
          report.status(),
          Cpu.perPage(before, after, pages),
          (double) (gcPauseMillis() - gcBefore) / Math.max(1, pages));
    }

    /**
     * Wall time the collectors report (pauses, not their CPU): tells GC apart from JIT in their
     * CPU.
     */
    private static long gcPauseMillis() {
      return ManagementFactory.getGarbageCollectorMXBeans().stream()
          .mapToLong(GarbageCollectorMXBean::getCollectionTime)
          .sum();
    }

    double pagesPerSecond() {
      return pages / seconds;
    }

    void print(String label) {
      double total = Arrays.stream(cpuMs).sum();
      int cores = Runtime.getRuntime().availableProcessors();
      System.out.printf(
          Locale.ROOT,
          "%s: %d pages, %d listings in %.2f s (%s): %.1f pages/s%n",
          label,
          pages,
          listings,
          seconds,
          status,
          pagesPerSecond());
      StringBuilder parts = new StringBuilder();
      for (int i = 0; i < cpuMs.length; i++) {
        parts
            .append(i == 0 ? "" : ", ")
            .append(Cpu.PARTS[i])
            .append(String.format(Locale.ROOT, " %.2f ms", cpuMs[i]));
      }
      System.out.printf(
          Locale.ROOT,
          "  CPU per page: %s; %.2f ms in all, a ceiling of %.0f pages/s on %d cores;"
              + " GC pauses %.2f ms a page%n",
          parts,
          total,
          cores * 1000 / total,
          cores,
          gcPauseMs);
    }
  }
}
