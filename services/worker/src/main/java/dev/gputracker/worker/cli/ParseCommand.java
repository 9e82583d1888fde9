package dev.gputracker.worker.cli;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.Env;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.config.SourcesFile;
import dev.gputracker.worker.normalize.Normalization;
import dev.gputracker.worker.normalize.TitleNormalizer;
import dev.gputracker.worker.scrape.AdapterRegistry;
import dev.gputracker.worker.scrape.PageParseException;
import dev.gputracker.worker.scrape.PageReader;
import dev.gputracker.worker.scrape.PageResult;
import dev.gputracker.worker.scrape.SourceAdapter;
import dev.gputracker.worker.scrape.TitleFacts;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs an adapter on saved pages or API responses, without network or database, and prints one JSON
 * object per listing (JSON Lines) with every field the adapter extracted plus the normalised {@code
 * gpu} slug, and the memory and condition the title states where the page gave none (as a scrape
 * stores them). For debugging a source: {@code parse --adapter amazon [--url
 * https://www.amazon.de/s?k=rtx] page1.html page2.html}.
 */
public final class ParseCommand implements Command {
  @Override
  public String name() {
    return "parse";
  }

  @Override
  public String summary() {
    return "--adapter NAME [--url URL] FILE...  print the listings an adapter extracts, as JSON Lines";
  }

  @Override
  public int run(Env env, List<String> args) throws Exception {
    String adapterName = null;
    String url = null;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--adapter") && i + 1 < args.size()) {
        adapterName = args.get(++i);
      } else if (a.equals("--url") && i + 1 < args.size()) {
        url = args.get(++i);
      } else if (a.startsWith("--")) {
        throw new ConfigException("parse: unknown option " + a + "; usage: parse " + summary());
      } else {
        files.add(Path.of(a));
      }
    }
    if (adapterName == null || files.isEmpty()) {
      throw new ConfigException("parse: usage: parse " + summary());
    }
    SourceAdapter adapter = AdapterRegistry.load().get(adapterName);
    TitleNormalizer normalizer = new TitleNormalizer(GpuCatalog.load());
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    int failures = 0;
    for (Path file : files) {
      byte[] body;
      try {
        body = Files.readAllBytes(file);
      } catch (IOException e) {
        System.err.println("error: cannot read " + file + ": " + e.getMessage());
        failures++;
        continue;
      }
      SourceConfig source = sourceFor(env, adapterName, url, file);
      URI pageUrl = url != null ? URI.create(url) : source.baseUrl();
      try {
        PageResult result =
            PageReader.read(adapter, new FetchedPage(pageUrl, 200, null, body), source);
        for (ScrapedListing l : result.listings()) {
          Normalization n = normalizer.normalize(l.title());
          out.println(json(TitleFacts.apply(l, n, adapter.kind(source)), n, file).encode());
        }
        result.next().ifPresent(n -> System.err.println(file + ": next page " + n));
      } catch (PageParseException e) {
        System.err.println("error: " + file + ": " + e.getMessage());
        failures++;
      }
    }
    out.flush();
    return failures == 0 ? 0 : 2;
  }

  /** The configured source that uses this adapter (for its options), else a bare one. */
  private static SourceConfig sourceFor(Env env, String adapter, String url, Path file) {
    Optional<SourceConfig> configured = Optional.empty();
    try {
      configured =
          SourcesFile.load(env).stream().filter(s -> s.adapter().equals(adapter)).findFirst();
    } catch (ConfigException e) {
      System.err.println("warning: sources file not used: " + e.getMessage());
    }
    URI base =
        url != null ? URI.create(url) : configured.map(SourceConfig::baseUrl).orElse(file.toUri());
    return configured
        .map(s -> s.withBaseUrl(base))
        .orElseGet(
            () ->
                new SourceConfig(
                    adapter,
                    adapter,
                    base,
                    true,
                    1,
                    SourceConfig.FetchSettings.defaults(),
                    new JsonObject()));
  }

  /**
   * One listing as a JSON Lines row; {@code file} is the saved page it came from, null for a live
   * page.
   */
  static JsonObject json(ScrapedListing l, Normalization n, Path file) {
    return new JsonObject()
        .put("external_id", l.externalId())
        .put("title", l.title())
        .put("price", l.price() == null ? null : l.price().toPlainString())
        .put("currency", l.currency())
        .put("price_unit", l.priceUnit().dbValue())
        .put("gpu_count", l.gpuCount())
        .put("vram_gb", l.vramGb() == null ? null : l.vramGb().toPlainString())
        .put("condition", l.condition().dbValue())
        .put("location", l.location())
        .put("seller", l.seller())
        .put("url", l.url())
        .put("sponsored", l.sponsored())
        .put("gpu", n.slug())
        .put("reject_reason", n.slug() == null ? n.reason().dbValue() : null)
        .put("file", file == null ? null : file.toString());
  }
}
