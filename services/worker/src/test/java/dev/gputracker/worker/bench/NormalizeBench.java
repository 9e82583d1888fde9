package dev.gputracker.worker.bench;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.worker.normalize.Normalization;
import dev.gputracker.worker.normalize.TitleNormalizer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The normaliser benchmark behind {@code bench/normalize.sh}: titles per second through {@link
 * TitleNormalizer#normalize} on one thread, over the titles of a file (the first tab-separated
 * field of each line that is not blank or a {@code #} comment: the normaliser's title table by
 * default). Unmeasured rounds first, until the JIT has compiled the normaliser, then {@code ROUNDS}
 * measured rounds; the median round counts. Titles per CPU-second of the measuring thread are
 * printed beside the wall-clock rate: CPU time does not depend on what else the machine runs. Last
 * line: {@code RESULT titles_per_s=... titles_per_cpu_s=...}.
 */
public final class NormalizeBench {
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 9);
  private static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmup", 6);

  /** Titles per round: the file's titles repeated until there are at least this many. */
  private static final int ROUND_TITLES = Integer.getInteger("bench.titles", 200_000);

  private NormalizeBench() {}

  public static void main(String[] args) throws Exception {
    Path file =
        Path.of(
            args.length > 0 ? args[0] : "services/worker/src/test/resources/normalize/titles.tsv");
    if (!Files.isRegularFile(file)) {
      System.err.println("no titles file at " + file + " (pass its path as the first argument)");
      System.exit(1);
    }
    List<String> titles = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        titles.add(line.split("\t", 2)[0]);
      }
    }
    String[] round = new String[Math.max(ROUND_TITLES, titles.size())];
    for (int i = 0; i < round.length; i++) {
      round[i] = titles.get(i % titles.size());
    }
    GpuCatalog catalog = GpuCatalog.load();
    TitleNormalizer normalizer = new TitleNormalizer(catalog);
    System.out.printf(
        Locale.ROOT,
        "%d distinct titles from %s, %d per round, catalog of %d models%n",
        titles.size(),
        file,
        round.length,
        catalog.models().size());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int r = 0; r < WARMUP_ROUNDS; r++) {
      sink += run(normalizer, round);
    }
    double[] wall = new double[ROUNDS];
    double[] cpu = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      sink += run(normalizer, round);
      long t1 = System.nanoTime();
      long cpu1 = threads.getCurrentThreadCpuTime();
      wall[r] = round.length / ((t1 - t0) / 1e9);
      cpu[r] = round.length / ((cpu1 - cpu0) / 1e9);
      System.out.printf(
          Locale.ROOT,
          "round %d: %.0f titles/s, %.0f titles per CPU-second%n",
          r + 1,
          wall[r],
          cpu[r]);
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    System.out.printf(Locale.ROOT, "accepted %d verdicts in all%n", sink);
    System.out.printf(
        Locale.ROOT,
        "RESULT titles_per_s=%.0f titles_per_cpu_s=%.0f distinct_titles=%d models=%d%n",
        wall[ROUNDS / 2],
        cpu[ROUNDS / 2],
        titles.size(),
        catalog.models().size());
  }

  /**
   * Normalises every title once; the count of accepted ones keeps the JIT from dropping the work.
   */
  private static long run(TitleNormalizer normalizer, String[] titles) {
    long accepted = 0;
    for (String title : titles) {
      Normalization n = normalizer.normalize(title);
      if (n.accepted()) {
        accepted++;
      }
    }
    return accepted;
  }
}
