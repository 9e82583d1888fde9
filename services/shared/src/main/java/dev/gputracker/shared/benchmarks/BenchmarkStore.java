package dev.gputracker.shared.benchmarks;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Stores what a gpu-benchmark job measured: one {@code gpu_benchmarks} row per device, and, in the
 * same transaction, the refreshed medians of each catalog model measured ({@code
 * gpu_benchmark_summary}), which the API uses for price per TFLOP. The worker writes through it; it
 * lives here so the API's tests can write the same rows the same way.
 */
public final class BenchmarkStore {
  /**
   * One measured device. Figures are null where not measured.
   *
   * @param gpuSlug the catalog model its name maps to, or null
   */
  public record Measurement(
      int deviceIndex,
      String deviceName,
      String gpuSlug,
      long memoryMb,
      String computeCapability,
      Double h2dGbs,
      Double d2hGbs,
      Double d2dGbs,
      Double fp32Tflops) {}

  private final Pool pool;

  public BenchmarkStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Writes the measurements of job {@code jobId} run by {@code worker}; a repeat of the same job
   * replaces them.
   */
  public Future<Void> save(long jobId, String worker, List<Measurement> measured) {
    if (measured.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(measured.size());
    for (Measurement m : measured) {
      rows.add(
          Tuple.tuple()
              .addLong(jobId)
              .addString(worker)
              .addInteger(m.deviceIndex())
              .addString(m.deviceName())
              .addString(m.gpuSlug())
              .addLong(m.memoryMb())
              .addString(m.computeCapability())
              .addDouble(m.h2dGbs())
              .addDouble(m.d2hGbs())
              .addDouble(m.d2dGbs())
              .addDouble(m.fp32Tflops()));
    }
    String[] slugs =
        measured.stream()
            .map(Measurement::gpuSlug)
            .filter(Objects::nonNull)
            .distinct()
            .toArray(String[]::new);
    return pool.withTransaction(
        c ->
            c.query(BenchmarkSql.LOCK)
                .execute()
                .compose(v -> c.preparedQuery(BenchmarkSql.INSERT).executeBatch(rows))
                .compose(
                    v ->
                        slugs.length == 0
                            ? Future.succeededFuture()
                            : c.preparedQuery(BenchmarkSql.SUMMARIZE)
                                .execute(Tuple.tuple().addArrayOfString(slugs)))
                .mapEmpty());
  }
}
