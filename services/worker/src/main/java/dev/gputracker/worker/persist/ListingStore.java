package dev.gputracker.worker.persist;

import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.worker.scrape.ScrapedListing;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.List;

/** Writes scraped listings and their price history. */
public final class ListingStore {
  private final Pool pool;

  public ListingStore(Pool pool) {
    this.pool = pool;
  }

  /** {@link #writePage(int, long, ListingKind, List, List)} without rejected listings. */
  public Future<PageWrite> writePage(int sourceId, long runId, ListingKind kind, List<StoredListing> page) {
    return writePage(sourceId, runId, kind, page, List.of());
  }

  /**
   * Upserts one page of a source's listings in a single statement (one round trip), appending price history for
   * first sightings and real price changes, and keeps the page's rejected listings with their reasons. Atomic: a
   * crash leaves the whole page or none of it.
   */
  public Future<PageWrite> writePage(int sourceId, long runId, ListingKind kind, List<StoredListing> page,
      List<RejectedListing> rejected) {
    if (page.isEmpty() && rejected.isEmpty()) {
      return Future.succeededFuture(PageWrite.EMPTY);
    }
    int n = page.size();
    String[] ids = new String[n];
    String[] titles = new String[n];
    String[] slugs = new String[n];
    String[] prices = new String[n];
    String[] currencies = new String[n];
    String[] units = new String[n];
    String[] usd = new String[n];
    Integer[] counts = new Integer[n];
    String[] vram = new String[n];
    String[] conditions = new String[n];
    String[] locations = new String[n];
    String[] sellers = new String[n];
    String[] urls = new String[n];
    Boolean[] sponsored = new Boolean[n];
    for (int i = 0; i < n; i++) {
      StoredListing s = page.get(i);
      ScrapedListing l = s.listing();
      ids[i] = l.externalId();
      titles[i] = l.title();
      slugs[i] = s.gpuSlug();
      prices[i] = plain(l.price());
      currencies[i] = l.currency();
      units[i] = l.priceUnit().dbValue();
      usd[i] = plain(s.priceUsd());
      counts[i] = l.gpuCount();
      vram[i] = plain(l.vramGb());
      conditions[i] = l.condition().dbValue();
      locations[i] = l.location();
      sellers[i] = l.seller();
      urls[i] = l.url();
      sponsored[i] = l.sponsored();
    }
    Tuple params = Tuple.tuple()
        .addInteger(sourceId).addString(kind.dbValue())
        .addArrayOfString(ids).addArrayOfString(titles).addArrayOfString(slugs).addArrayOfString(prices)
        .addArrayOfString(currencies).addArrayOfString(units).addArrayOfString(usd).addArrayOfInteger(counts)
        .addArrayOfString(vram).addArrayOfString(conditions).addArrayOfString(locations).addArrayOfString(sellers)
        .addArrayOfString(urls).addArrayOfBoolean(sponsored)
        .addLong(runId);
    addRejected(params, rejected);
    return pool.preparedQuery(WorkerSql.WRITE_PAGE).execute(params).map(rows -> {
      Row r = rows.iterator().next();
      return new PageWrite(r.getInteger("seen"), r.getInteger("inserted"), r.getInteger("updated"),
          r.getInteger("history"), r.getInteger("rejected"));
    });
  }

  /**
   * After a complete run of a source, marks its active listings that this run did not see as removed.
   *
   * @return how many were removed
   */
  public Future<Integer> markRemoved(int sourceId, long runId) {
    return pool.preparedQuery(WorkerSql.MARK_REMOVED).execute(Tuple.of(sourceId, runId))
        .map(rows -> rows.iterator().next().getInteger("removed"));
  }

  private static void addRejected(Tuple params, List<RejectedListing> rejected) {
    int n = rejected.size();
    String[] ids = new String[n];
    String[] titles = new String[n];
    String[] reasons = new String[n];
    String[] details = new String[n];
    String[] slugs = new String[n];
    String[] prices = new String[n];
    String[] currencies = new String[n];
    String[] usd = new String[n];
    String[] urls = new String[n];
    for (int i = 0; i < n; i++) {
      RejectedListing r = rejected.get(i);
      ids[i] = r.listing().externalId();
      titles[i] = r.listing().title();
      reasons[i] = r.reason().dbValue();
      details[i] = r.detail();
      slugs[i] = r.gpuSlug();
      prices[i] = plain(r.listing().price());
      currencies[i] = r.listing().currency();
      usd[i] = plain(r.priceUsd());
      urls[i] = r.listing().url();
    }
    params.addArrayOfString(ids).addArrayOfString(titles).addArrayOfString(reasons).addArrayOfString(details)
        .addArrayOfString(slugs).addArrayOfString(prices).addArrayOfString(currencies).addArrayOfString(usd)
        .addArrayOfString(urls);
  }

  /** Decimals travel as exact strings (never through a double) and are cast to numeric in SQL. */
  private static String plain(BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }
}
