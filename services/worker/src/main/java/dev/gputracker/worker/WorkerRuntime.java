package dev.gputracker.worker;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.db.Database;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.normalize.TitleNormalizer;
import dev.gputracker.worker.persist.ListingStore;
import dev.gputracker.worker.persist.RunStore;
import dev.gputracker.worker.persist.SourceLocks;
import dev.gputracker.worker.persist.SourceStore;
import dev.gputracker.worker.scrape.AdapterRegistry;
import dev.gputracker.worker.scrape.ScrapeEngine;
import dev.gputracker.worker.scrape.fetch.Fetcher;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** The worker's moving parts wired together: one Vert.x, one database pool, one fetcher, one scrape engine. */
public final class WorkerRuntime implements AutoCloseable {
  private final Vertx vertx;
  private final Pool pool;
  private final Fetcher fetcher;
  private final ScrapeEngine engine;

  private WorkerRuntime(Vertx vertx, Pool pool, Fetcher fetcher, ScrapeEngine engine) {
    this.vertx = vertx;
    this.pool = pool;
    this.fetcher = fetcher;
    this.engine = engine;
  }

  public static WorkerRuntime start(WorkerConfig config) {
    Vertx vertx = Vertx.vertx();
    Pool pool = Database.pool(vertx, config.database(), "worker", config.dbPoolSize());
    Fetcher fetcher = new Fetcher(vertx);
    ScrapeEngine engine = new ScrapeEngine(vertx, fetcher, AdapterRegistry.load(),
        new TitleNormalizer(GpuCatalog.load()), new SourceStore(pool), new ListingStore(pool), new RunStore(pool),
        new SourceLocks(pool), config.workerId());
    return new WorkerRuntime(vertx, pool, fetcher, engine);
  }

  public Vertx vertx() {
    return vertx;
  }

  public Pool pool() {
    return pool;
  }

  public ScrapeEngine engine() {
    return engine;
  }

  /** Closes the fetcher, the pool and Vert.x; blocking, so call it from main or a shutdown hook. */
  @Override
  public void close() {
    fetcher.close();
    pool.close().await();
    vertx.close().await();
  }
}
