package dev.gputracker.worker.bench;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.worker.WorkerRuntime;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.config.WorkerMode;
import dev.gputracker.worker.normalize.Normalization;
import dev.gputracker.worker.normalize.TitleNormalizer;
import dev.gputracker.worker.persist.ListingStore;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.SourceStore;
import dev.gputracker.worker.persist.StoredListing;
import dev.gputracker.worker.rates.FallbackRates;
import dev.gputracker.worker.scrape.FetchedPage;
import dev.gputracker.worker.scrape.ProgressListener;
import dev.gputracker.worker.scrape.RunReport;
import dev.gputracker.worker.scrape.ScrapedListing;
import dev.gputracker.worker.scrape.SourceReport;
import dev.gputracker.worker.scrape.adapters.amazon.AmazonAdapter;
import dev.gputracker.worker.scrape.fetch.Fetcher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The scrape benchmark behind {@code bench/scrape.sh}: a local server serves {@code PAGES} copies of a saved Amazon
 * results page (each with its own ASINs and a next link to the following copy), and the worker's real engine runs
 * fetch → parse → normalise → store over them, as {@code CHAINS} sources sharing the host. Then each stage is timed
 * alone over the same pages to give the share of time in fetch, parse and store. Last line: {@code RESULT ...}.
 */
public final class ScrapeBench {
  private static final int PAGES = Integer.getInteger("bench.pages", 500);
  private static final int CHAINS = Integer.getInteger("bench.chains", 4);

  private ScrapeBench() {}

  public static void main(String[] args) throws Exception {
    Path page = Path.of(args.length > 0 ? args[0] : "../shared/fixtures/amazon/listings_COM_1.html");
    if (!Files.isRegularFile(page)) {
      System.err.println("the saved Amazon page is not at " + page + " (pass its path as the first argument)");
      System.exit(1);
    }
    String template = Files.readString(page, StandardCharsets.UTF_8)
        .replaceAll("(<a[^>]*?)href=\"[^\"]*\"([^>]*s-pagination-next)", "$1href=\"__NEXT__\"$2")
        .replaceAll("(class=\"[^\"]*s-pagination-next[^\"]*\"[^>]*?)href=\"[^\"]*\"", "$1href=\"__NEXT__\"");
    Path dir = Files.createTempDirectory("gpu-tracker-scrape-bench");
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start(dir, 0)) {
      DatabaseUrl db = postgres.url("bench");
      Migrator.migrate(db);
      // A static server: every copy is rendered once up front (own ASINs, a next link to the following copy), so
      // serving costs only the write and the measurement is the worker's, not the page generator's.
      int perChain = PAGES / CHAINS;
      io.vertx.core.buffer.Buffer[][] copies = new io.vertx.core.buffer.Buffer[CHAINS + 1][perChain + 1];
      for (int c = 0; c <= CHAINS; c++) {
        for (int n = 1; n <= perChain; n++) {
          String next = n < perChain ? "/s?c=" + c + "&amp;page=" + (n + 1) : "/s?c=" + c + "&amp;page=" + n;
          copies[c][n] = io.vertx.core.buffer.Buffer.buffer(template.replace("__NEXT__", next)
              .replace("data-asin=\"", "data-asin=\"c" + c + "p" + n + "-").getBytes(StandardCharsets.UTF_8));
        }
      }
      Vertx serverVertx = Vertx.vertx();
      HttpServer server = serverVertx.createHttpServer().requestHandler(req -> {
        if (req.path().equals("/robots.txt")) {
          req.response().end("User-agent: *\nAllow: /\n");
          return;
        }
        int chain = Math.min(CHAINS, Math.max(0, Integer.parseInt(req.getParam("c", "0"))));
        int n = Math.min(perChain, Math.max(1, Integer.parseInt(req.getParam("page", "1"))));
        req.response().putHeader("content-type", "text/html; charset=utf-8").end(copies[chain][n]);
      }).listen(0, "127.0.0.1").await();
      String base = "http://127.0.0.1:" + server.actualPort();
      try {
        run(db, base, template.length());
      } finally {
        serverVertx.close().await();
      }
    }
  }

  private static void run(DatabaseUrl db, String base, int pageBytes) throws Exception {
    SourceConfig.FetchSettings fast = new SourceConfig.FetchSettings(List.of(), true, 100_000, 16,
        Duration.ofSeconds(5), Duration.ofSeconds(30), 1, 5L * 1024 * 1024, Optional.empty());
    List<SourceConfig> sources = new ArrayList<>();
    for (int c = 0; c < CHAINS; c++) {
      sources.add(new SourceConfig("amazon-bench-" + c, "amazon", URI.create(base + "/s?c=" + c + "&page=1"), true,
          PAGES, fast, new JsonObject()));
    }
    WorkerConfig config = new WorkerConfig(db, WorkerMode.ONESHOT, Duration.ofHours(1), sources, "bench", 8,
        Duration.ofSeconds(30), 0, FallbackRates.from(new Env(Map.of())));
    System.out.printf(Locale.ROOT, "%d copies of a %,d-byte Amazon page, %d sources in parallel, embedded PostgreSQL%n",
        PAGES, pageBytes, CHAINS);
    WorkerRuntime runtime = WorkerRuntime.start(config);
    long start = System.nanoTime();
    RunReport report;
    try {
      report = runtime.engine().run(sources, WorkerMode.ONESHOT, ProgressListener.NONE).await();
    } finally {
      runtime.close();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int pages = report.sources().stream().mapToInt(SourceReport::pages).sum();
    int listings = report.sources().stream().mapToInt(r -> r.seen() + r.rejected()).sum();
    System.out.printf(Locale.ROOT, "engine: %d pages, %d listings in %.2f s (%s)%n", pages, listings, seconds,
        report.status());

    // Each stage alone over the same pages, single-threaded, for the shares.
    Vertx vertx = Vertx.vertx();
    Fetcher fetcher = new Fetcher(vertx);
    List<FetchedPage> fetched = new ArrayList<>();
    int sample = Math.min(100, PAGES / CHAINS);
    long t0 = System.nanoTime();
    for (int n = 1; n <= sample; n++) {
      fetched.add(fetcher.fetch(URI.create(base + "/s?c=" + CHAINS + "&page=" + n), fast).await());
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
    io.vertx.sqlclient.Pool pool = dev.gputracker.shared.db.Database.pool(vertx, db, "bench-store", 2);
    SourceConfig stageSource = new SourceConfig("amazon-bench-stages", "amazon", URI.create(base + "/"), true, 1, fast,
        new JsonObject());
    int sourceId = new SourceStore(pool).sync(List.of(stageSource)).await().get("amazon-bench-stages");
    long runId = new RunStore(pool).startRun("bench", "oneshot").await();
    ListingStore store = new ListingStore(pool);
    long t2 = System.nanoTime();
    for (List<StoredListing> page : parsed) {
      store.writePage(sourceId, runId, ListingKind.SALE, page).await();
    }
    double storeMs = (System.nanoTime() - t2) / 1e6 / parsed.size();
    fetcher.close().await();
    pool.close().await();
    vertx.close().await();
    double total = fetchMs + parseMs + storeMs;
    System.out.printf(Locale.ROOT, "per page, each stage alone: fetch %.2f ms, parse+normalise %.2f ms, store %.2f ms%n",
        fetchMs, parseMs, storeMs);
    System.out.printf(Locale.ROOT,
        "RESULT pages_per_s=%.1f listings_per_s=%.0f fetch_share=%.2f parse_share=%.2f store_share=%.2f%n",
        pages / seconds, listings / seconds, fetchMs / total, parseMs / total, storeMs / total);
  }
}
