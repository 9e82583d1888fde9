package dev.gputracker.api.listings;

import io.vertx.core.MultiMap;
import io.vertx.sqlclient.Tuple;
import java.util.Map;

/**
 * The SQL and parameters {@code GET /api/listings} runs for given query parameters, built by the
 * handler's own parser ({@link ListingQuery}): what the plan tests explain and the load benchmark
 * replays with pgbench. Test code, so the product has no hook for it.
 */
public final class SearchStatements {
  private SearchStatements() {}

  /** The statement and its parameters for {@code query}, as a search without deal medians runs. */
  public static Map.Entry<String, Tuple> of(MultiMap query) {
    ListingQuery q = ListingQuery.parse(query);
    return Map.entry(q.sql, q.params);
  }
}
