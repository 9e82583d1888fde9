package dev.gputracker.worker.persist;

import dev.gputracker.shared.domain.ListingKind;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** Writes scraped listings and their price history. */
public final class ListingStore {
  private final Pool pool;

  public ListingStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * {@link #writePage(int, long, ListingKind, List, List, PageYield)} without rejected listings.
   */
  public Future<PageWrite> writePage(
      int sourceId, long runId, ListingKind kind, List<StoredListing> page) {
    return writePage(sourceId, runId, kind, page, List.of(), PageYield.of(page, List.of(), 1));
  }

  /** {@link #writePage(int, long, ListingKind, List, List, PageYield)} as page 1 of its chain. */
  public Future<PageWrite> writePage(
      int sourceId,
      long runId,
      ListingKind kind,
      List<StoredListing> page,
      List<RejectedListing> rejected) {
    return writePage(sourceId, runId, kind, page, rejected, PageYield.of(page, rejected, 1));
  }

  /**
   * What a page yielded before normalisation, added to the source's figures in the run as the page
   * is written.
   *
   * @param read listings the adapter read on the page
   * @param priced of those, with a price
   * @param normalised of those, matched to a model
   * @param depth the page's number in its pagination chain
   */
  public record PageYield(int read, int priced, int normalised, int depth) {
    /** Counted from the page's accepted and rejected listings. */
    public static PageYield of(
        List<StoredListing> kept, List<RejectedListing> rejected, int depth) {
      int priced = 0;
      int normalised = kept.size();
      for (StoredListing s : kept) {
        priced += s.listing().price() == null ? 0 : 1;
      }
      for (RejectedListing r : rejected) {
        priced += r.listing().price() == null ? 0 : 1;
        normalised += r.gpuSlug() == null ? 0 : 1;
      }
      return new PageYield(kept.size() + rejected.size(), priced, normalised, depth);
    }
  }

  /**
   * Upserts one page of a source's listings in a single statement (one round trip), appending price
   * history for first sightings and real price changes, and keeps the page's rejected listings with
   * their reasons. Atomic: a crash leaves the whole page or none of it.
   */
  public Future<PageWrite> writePage(
      int sourceId,
      long runId,
      ListingKind kind,
      List<StoredListing> page,
      List<RejectedListing> rejected,
      PageYield yield) {
    if (page.isEmpty() && rejected.isEmpty()) {
      return Future.succeededFuture(PageWrite.EMPTY);
    }
    return pool.preparedQuery(WorkerSql.WRITE_PAGE)
        .execute(new PageBatch(sourceId, runId, kind, page, rejected, yield).params())
        .map(
            rows -> {
              Row r = rows.iterator().next();
              return new PageWrite(
                  r.getInteger("seen"),
                  r.getInteger("inserted"),
                  r.getInteger("updated"),
                  r.getInteger("history"),
                  r.getInteger("rejected"));
            });
  }

  /**
   * After a complete run of a source, marks its active listings that this run did not see as
   * removed.
   *
   * @return how many were removed
   */
  public Future<Integer> markRemoved(int sourceId, long runId) {
    return pool.preparedQuery(WorkerSql.MARK_REMOVED)
        .execute(Tuple.of(sourceId, runId))
        .map(rows -> rows.iterator().next().getInteger("removed"));
  }

  /**
   * Brings the daily price series summary up to date for the models written since its last refresh
   * (see {@link PriceDays}).
   *
   * @return how many models were refreshed
   */
  public Future<Integer> refreshPriceDays() {
    return new PriceDays(pool).refreshMarked();
  }

  /**
   * Brings the stored market figures up to date for the models written since their last refresh
   * (see {@link MarketFigures}).
   *
   * @return how many models were refreshed
   */
  public Future<Integer> refreshMarket() {
    return new MarketFigures(pool).refreshMarked();
  }
}
