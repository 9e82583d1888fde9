package dev.gputracker.worker.persist;

import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.worker.persist.ListingStore.PageYield;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * One page to write: a record per row ({@link StoredListing}, {@link RejectedListing}) and what the
 * page is. {@link #params} binds it to {@code write_page.sql}, in one place: each column of the row
 * records becomes one array, which the statement unnests (one statement per page, however many
 * rows). The column lists below are in the order of the statement's parameters ($3..$16 and
 * $18..$26, named in the file's header). Decimals travel as exact text, never through a double, and
 * are cast to numeric in SQL.
 */
record PageBatch(
    int sourceId,
    long runId,
    ListingKind kind,
    List<StoredListing> listings,
    List<RejectedListing> rejected,
    PageYield yield) {

  /** The accepted listings' columns, $3..$16. */
  private static final List<Column<StoredListing>> LISTINGS =
      List.of(
          text(s -> s.listing().externalId()),
          text(s -> s.listing().title()),
          text(StoredListing::gpuSlug),
          decimal(s -> s.listing().price()),
          text(s -> s.listing().currency()),
          text(s -> s.listing().priceUnit().dbValue()),
          decimal(StoredListing::priceUsd),
          integer(s -> s.listing().gpuCount()),
          decimal(s -> s.listing().vramGb()),
          text(s -> s.listing().condition().dbValue()),
          text(s -> s.listing().location()),
          text(s -> s.listing().seller()),
          text(s -> s.listing().url()),
          bool(s -> s.listing().sponsored()));

  /** The rejected listings' columns, $18..$26. */
  private static final List<Column<RejectedListing>> REJECTED =
      List.of(
          text(r -> r.listing().externalId()),
          text(r -> r.listing().title()),
          text(r -> r.reason().dbValue()),
          text(RejectedListing::detail),
          text(RejectedListing::gpuSlug),
          decimal(r -> r.listing().price()),
          text(r -> r.listing().currency()),
          decimal(RejectedListing::priceUsd),
          text(r -> r.listing().url()));

  /** The statement's parameters, $1..$30. */
  Tuple params() {
    Tuple params = Tuple.tuple().addInteger(sourceId).addString(kind.dbValue());
    add(params, LISTINGS, listings);
    params.addLong(runId);
    add(params, REJECTED, rejected);
    return params
        .addInteger(yield.read())
        .addInteger(yield.priced())
        .addInteger(yield.normalised())
        .addInteger(yield.depth());
  }

  private static <T> void add(Tuple params, List<Column<T>> columns, List<T> rows) {
    for (Column<T> c : columns) {
      c.bind(params, rows);
    }
  }

  /** One column of a row record, bound as one array. */
  private interface Column<T> {
    void bind(Tuple params, List<T> rows);
  }

  private static <T> Column<T> text(Function<T, String> value) {
    return (params, rows) -> {
      String[] out = new String[rows.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = value.apply(rows.get(i));
      }
      params.addArrayOfString(out);
    };
  }

  private static <T> Column<T> decimal(Function<T, BigDecimal> value) {
    return text(row -> plain(value.apply(row)));
  }

  /** Read as a primitive (a listing always has a GPU count); boxed once, into the bound array. */
  private static <T> Column<T> integer(ToIntFunction<T> value) {
    return (params, rows) -> {
      Integer[] out = new Integer[rows.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = value.applyAsInt(rows.get(i));
      }
      params.addArrayOfInteger(out);
    };
  }

  private static <T> Column<T> bool(Predicate<T> value) {
    return (params, rows) -> {
      Boolean[] out = new Boolean[rows.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = value.test(rows.get(i));
      }
      params.addArrayOfBoolean(out);
    };
  }

  private static String plain(BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }
}
