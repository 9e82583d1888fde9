package dev.gputracker.api.listings;

import dev.gputracker.api.ApiSql;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A listing search's filters applied to given listings: the live stream ({@code /api/events}) takes
 * the search's filters and keeps the listing events whose listing matches them. The conditions are
 * the search's own fragments ({@link ListingQuery}), so a stream and a search never disagree on
 * what matches; only the active flag is left out, since a removal concerns the search its listing
 * matched.
 */
public final class ListingMatcher {
  /**
   * The search parameters a stream takes besides {@code gpu}, which it matches on the event itself.
   */
  public static final Set<String> PARAMS =
      Set.of(
          "vendor",
          "kind",
          "condition",
          "source",
          "min_price",
          "max_price",
          "min_vram",
          "gpu_count",
          "location",
          "q");

  private final String sql;
  private final Tuple params;

  private ListingMatcher(String sql, Tuple params) {
    this.sql = sql;
    this.params = params;
  }

  /**
   * The matcher for {@code query}'s search parameters (a 400 naming a bad one), or null when it
   * gives none.
   */
  public static ListingMatcher parse(MultiMap query) {
    MultiMap filters = MultiMap.caseInsensitiveMultiMap();
    for (String name : PARAMS) {
      if (query.contains(name)) {
        filters.add(name, query.getAll(name));
      }
    }
    if (filters.isEmpty()) {
      return null;
    }
    ListingQuery search = ListingQuery.parse(filters);
    List<String> conditions = new ArrayList<>(search.filters);
    conditions.remove(ApiSql.ACTIVE);
    return new ListingMatcher(
        String.format(
            ApiSql.STREAM_MATCH, String.join(" AND ", conditions), search.filterParams.size() + 1),
        search.filterParams);
  }

  /** Which of {@code ids} match. */
  public Future<Set<Long>> matching(Pool pool, List<Long> ids) {
    Tuple args = Tuple.tuple();
    for (int i = 0; i < params.size(); i++) {
      args.addValue(params.getValue(i));
    }
    args.addArrayOfLong(ids.toArray(new Long[0]));
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              Set<Long> matched = new HashSet<>();
              for (Row r : rows) {
                matched.add(r.getLong(0));
              }
              return matched;
            });
  }
}
