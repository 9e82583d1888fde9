package dev.gputracker.worker.jobs.bench;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.db.EmbeddedDatabase;
import dev.gputracker.shared.db.Migrator;
import dev.gputracker.worker.jobs.GpuSlots;
import dev.gputracker.worker.jobs.JobRunner;
import dev.gputracker.worker.jobs.executors.CommandExecutor;
import dev.gputracker.worker.jobs.executors.NoopExecutor;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.jobs.queue.JobSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the queue through the real claim, run and complete path against an embedded PostgreSQL:
 * {@code JobsBench <data-dir> [noop-jobs]}. The last line is the RESULT summary bench/jobs.sh
 * reports.
 */
public final class JobsBench {
  private JobsBench() {}

  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/jobs-bench-db");
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
      DatabaseUrl url = db.url("jobs_bench_" + System.currentTimeMillis());
      Migrator.migrate(url);
      Vertx vertx = Vertx.vertx();
      Pool pool = Database.pool(vertx, url, "jobs-bench", 16);
      JobQueue queue = new JobQueue(pool);
      double one = noop(vertx, queue, jobs, 1);
      double four = noop(vertx, queue, jobs, 4);
      double command = command(vertx, queue, 200);
      double[] latency = latency(vertx, queue, pool, url, 200);
      System.out.printf(
          "noop 1 runner: %.0f jobs/s; noop 4 runners: %.0f jobs/s; command /bin/true: %.0f jobs/s%n",
          one, four, command);
      System.out.printf(
          "RESULT noop_jobs_per_s=%.0f submit_to_start_p50_ms=%.1f submit_to_start_p99_ms=%.1f%n",
          four, latency[0], latency[1]);
      vertx.close().await();
    }
  }

  private static void submit(JobQueue queue, JobSpec spec, int n) {
    for (int done = 0; done < n; done += 1_000) {
      List<Future<Long>> batch = new ArrayList<>();
      for (int i = done; i < Math.min(n, done + 1_000); i++) {
        batch.add(queue.submit(spec));
      }
      Future.all(batch).await();
    }
  }

  private static double noop(Vertx vertx, JobQueue queue, int n, int runners) {
    submit(queue, JobSpec.noop(), n);
    long start = System.nanoTime();
    List<Future<Integer>> all = new ArrayList<>();
    for (int i = 0; i < runners; i++) {
      JobRunner.Settings settings =
          new JobRunner.Settings("bench-" + runners + "-" + i, 500, GpuSlots.none(), 60, 30_000);
      all.add(new JobRunner(vertx, queue, settings, List.of(new NoopExecutor())).runQueuedNow());
    }
    int ran = Future.all(all).await().<Integer>list().stream().mapToInt(Integer::intValue).sum();
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf("noop x %d runner(s): %d jobs in %.2f s%n", runners, ran, secs);
    return ran / secs;
  }

  private static double command(Vertx vertx, JobQueue queue, int n) {
    submit(queue, JobSpec.command(List.of("/bin/true"), 30), n);
    long start = System.nanoTime();
    int ran =
        new JobRunner(
                vertx,
                queue,
                new JobRunner.Settings("bench-cmd", 8, GpuSlots.none(), 60, 30_000),
                List.of(new CommandExecutor(vertx, true, 4096)))
            .runQueuedNow()
            .await();
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf("command /bin/true: %d jobs in %.2f s%n", ran, secs);
    return ran / secs;
  }

  /**
   * Submits jobs one by one to an idle runner with a 30 s poll, so only NOTIFY can start them
   * quickly.
   */
  private static double[] latency(Vertx vertx, JobQueue queue, Pool pool, DatabaseUrl url, int n) {
    JobRunner runner =
        new JobRunner(
            vertx,
            queue,
            new JobRunner.Settings("bench-idle", 16, GpuSlots.none(), 60, 30_000),
            List.of(new NoopExecutor()),
            url.connectOptions());
    vertx.deployVerticle(runner).await();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(queue.submit(JobSpec.noop()).await());
      Promise<Void> gap = Promise.promise();
      vertx.setTimer(10, t -> gap.complete());
      gap.future().await();
    }
    Promise<Void> done = Promise.promise();
    long last = ids.get(ids.size() - 1);
    long timer =
        vertx.setPeriodic(
            20,
            t ->
                pool.query(
                        "SELECT count(*) FROM jobs WHERE id >= "
                            + ids.get(0)
                            + " AND id <= "
                            + last
                            + " AND state = 'succeeded'")
                    .execute()
                    .onSuccess(
                        r -> {
                          if (r.iterator().next().getLong(0) == n) {
                            done.tryComplete();
                          }
                        }));
    done.future().await();
    vertx.cancelTimer(timer);
    vertx.undeploy(runner.deploymentID()).await();
    Row r =
        pool.query(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP"
                    + " (ORDER BY ms) FROM (SELECT extract(epoch FROM started_at - created_at) * 1000 AS ms FROM jobs"
                    + " WHERE id >= "
                    + ids.get(0)
                    + " AND id <= "
                    + last
                    + ") x")
            .execute()
            .await()
            .iterator()
            .next();
    return new double[] {r.getDouble(0), r.getDouble(1)};
  }
}
