package dev.gputracker.worker.cli;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.config.Env;
import dev.gputracker.worker.normalize.CatalogGaps;
import dev.gputracker.worker.normalize.Normalization;
import dev.gputracker.worker.normalize.TitleNormalizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads listing titles on stdin, one per line, and prints one line per title: the catalog slug, or
 * {@code -} when the title is not a GPU of the catalog. {@code --why} adds the reason after a tab,
 * and for a card the catalog does not know, the catalog model nearest to the words it could not
 * place: what to compare a new catalog row with.
 */
public final class NormalizeCommand implements Command {
  @Override
  public String name() {
    return "normalize";
  }

  @Override
  public String summary() {
    return "read titles on stdin, print the catalog slug of each (or -)   [--why]";
  }

  @Override
  public int run(Env env, List<String> args) throws Exception {
    boolean why = args.contains("--why");
    TitleNormalizer normalizer = new TitleNormalizer(GpuCatalog.load());
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        Normalization n = normalizer.normalize(line);
        if (n.slug() != null) {
          out.println(n.slug());
        } else {
          out.println(
              why
                  ? "-\t"
                      + n.reason().dbValue()
                      + (n.detail() == null ? "" : ": " + n.detail())
                      + nearest(normalizer, n)
                  : "-");
        }
      }
    }
    out.flush();
    return 0;
  }

  /** "; nearest catalog model: gtx-1080 (GeForce GTX 1080)" for an unknown model, else nothing. */
  private static String nearest(TitleNormalizer normalizer, Normalization n) {
    return CatalogGaps.wordsOf(n.detail())
        .flatMap(words -> CatalogGaps.nearest(normalizer.catalog(), words))
        .map(m -> "; nearest catalog model: " + m.slug() + " (" + m.name() + ")")
        .orElse("");
  }
}
