package dev.gputracker.worker.cli;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.db.Database;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.config.SourcesFile;
import dev.gputracker.worker.normalize.TitleNormalizer;
import dev.gputracker.worker.persist.HealthStore;
import dev.gputracker.worker.scrape.AdapterRegistry;
import dev.gputracker.worker.scrape.PageParseException;
import dev.gputracker.worker.scrape.PageReader;
import dev.gputracker.worker.scrape.PageResult;
import dev.gputracker.worker.scrape.SourceAdapter;
import dev.gputracker.worker.scrape.TitleFacts;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.fetch.Fetcher;
import dev.gputracker.worker.scrape.health.Baseline;
import dev.gputracker.worker.scrape.health.YieldCheck;
import dev.gputracker.worker.scrape.health.YieldFigures;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code probe SOURCE [URL] [--save DIR]}, for operators, like {@code scrapy parse}: fetches one
 * live page with the source's own settings (politeness, robots.txt, proxy, agent), runs its
 * adapter, prints the listings as JSON Lines and, on stderr, the page's health verdict against the
 * source's recent runs (per page, from {@code DATABASE_URL} when set). {@code --save DIR} writes
 * the page and its response headers, so {@code parse --adapter} on the saved file reproduces the
 * result and a broken adapter is fixed against a fresh real snapshot.
 */
public final class ProbeCommand implements Command {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public String summary() {
    return "SOURCE [URL] [--save DIR]  fetch one live page as the source does, print its listings and verdict";
  }

  @Override
  public int run(Env env, List<String> args) throws Exception {
    List<String> positional = new ArrayList<>();
    Path saveDir = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--save") && i + 1 < args.size()) {
        saveDir = Path.of(args.get(++i));
      } else if (a.startsWith("--")) {
        throw new ConfigException("probe: unknown option " + a + "; usage: probe " + summary());
      } else {
        positional.add(a);
      }
    }
    if (positional.isEmpty() || positional.size() > 2) {
      throw new ConfigException("probe: usage: probe " + summary());
    }
    String name = positional.get(0);
    SourceConfig source =
        SourcesFile.load(env).stream()
            .filter(s -> s.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "probe: no source is called '" + name + "' in the sources file"));
    SourceAdapter adapter = AdapterRegistry.load().get(source.adapter());
    URI url =
        positional.size() == 2 ? URI.create(positional.get(1)) : adapter.startUrls(source).get(0);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Vertx vertx = Vertx.vertx();
    try {
      Fetcher fetcher = new Fetcher(vertx);
      FetchedPage page;
      try {
        page = fetcher.fetch(url, source.fetch()).await();
      } catch (Exception e) {
        System.err.println("error: " + e.getMessage());
        return 2;
      } finally {
        fetcher.close().await();
      }
      if (saveDir != null) {
        save(saveDir, source, page);
      }
      PageResult result;
      try {
        result = PageReader.read(adapter, page, source);
      } catch (PageParseException e) {
        System.err.println("error: " + e.getMessage());
        System.err.println("verdict: failing (the page is an error)");
        return 2;
      }
      TitleNormalizer normalizer = new TitleNormalizer(GpuCatalog.load());
      int priced = 0;
      int normalised = 0;
      for (ScrapedListing l : result.listings()) {
        var n = normalizer.normalize(l.title());
        priced += l.price() == null ? 0 : 1;
        normalised += n.slug() == null ? 0 : 1;
        JsonObject json = ParseCommand.json(TitleFacts.apply(l, n, adapter.kind(source)), n, null);
        out.println(json.encode());
      }
      out.flush();
      result.next().ifPresent(n -> System.err.println("next page: " + n));
      int read = result.listings().size();
      return verdict(env, vertx, source, new YieldFigures(read, priced, normalised, 1, read));
    } finally {
      vertx.close().await();
    }
  }

  /**
   * The page's yield against the source's recent trusted runs, per page: each run's figures divided
   * by its pages, so one page compares with one page (pagination is not judged from a single page).
   */
  private static int verdict(Env env, Vertx vertx, SourceConfig source, YieldFigures page) {
    Optional<String> dbUrl = env.optional("DATABASE_URL");
    String figures =
        page.read()
            + " listings, "
            + page.priced()
            + " priced, "
            + page.normalised()
            + " matched to a model";
    if (dbUrl.isEmpty()) {
      System.err.println("verdict: " + figures + "; no baseline (DATABASE_URL is not set)");
      return 0;
    }
    Pool pool = Database.pool(vertx, DatabaseUrl.parse("DATABASE_URL", dbUrl.get()), "probe", 1);
    HealthStore health = new HealthStore(pool);
    Optional<Integer> sourceId =
        health.latestRun(source.name()).await().map(HealthStore.LatestRun::sourceId);
    if (sourceId.isEmpty()) {
      System.err.println("verdict: " + figures + "; no baseline (the source has not run yet)");
      return 0;
    }
    Baseline runs = health.baseline(sourceId.get(), -1, source.health().baselineRuns()).await();
    List<YieldFigures> perPage =
        runs.runs().stream()
            .filter(r -> r.depth() > 0)
            .map(
                r ->
                    new YieldFigures(
                        r.read() / r.depth(),
                        r.priced() / r.depth(),
                        r.normalised() / r.depth(),
                        1,
                        r.read() / r.depth()))
            .toList();
    Optional<String> suspect = YieldCheck.judge(page, new Baseline(perPage), source.health(), 1);
    System.err.println(
        "verdict: "
            + suspect.map(r -> "suspect: " + r).orElse("ok")
            + " ("
            + figures
            + "; against "
            + perPage.size()
            + " recent complete run"
            + (perPage.size() == 1 ? "" : "s")
            + ")");
    return suspect.isPresent() ? 2 : 0;
  }

  /** The page's bytes as they came, and its status and headers beside it. */
  private static void save(Path dir, SourceConfig source, FetchedPage page) throws IOException {
    Files.createDirectories(dir);
    String base = source.name() + "-" + STAMP.format(Instant.now());
    Path body = dir.resolve(base + ".body");
    Files.write(body, page.body());
    StringBuilder head =
        new StringBuilder("URL: " + page.url() + "\nStatus: " + page.status() + "\n");
    for (Map.Entry<String, String> h : page.headers()) {
      head.append(h.getKey()).append(": ").append(h.getValue()).append('\n');
    }
    Files.writeString(dir.resolve(base + ".headers"), head.toString(), StandardCharsets.UTF_8);
    System.err.println(
        "saved "
            + body
            + " (and .headers); reproduce with: parse --adapter "
            + source.adapter()
            + " --url '"
            + page.url()
            + "' "
            + body);
  }
}
