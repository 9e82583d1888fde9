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
 * $18..$26, named in the file's header), each column named as the statement unnests it
 * (PageBatchTest holds the two together). Decimals travel as exact text, never through a double,
 * and are cast to numeric in SQL.
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
          text("external_id", s -> s.listing().externalId()),
          text("title", s -> s.listing().title()),
          text("gpu_slug", StoredListing::gpuSlug),
          decimal("price", s -> s.listing().price()),
          text("currency", s -> s.listing().currency()),
          text("price_unit", s -> s.listing().priceUnit().dbValue()),
          decimal("price_usd", StoredListing::priceUsd),
          integer("gpu_count", s -> s.listing().gpuCount()),
          decimal("vram_gb", s -> s.listing().vramGb()),
          text("condition", s -> s.listing().condition().dbValue()),
          text("location", s -> s.listing().location()),
          text("seller", s -> s.listing().seller()),
          text("url", s -> s.listing().url()),
          bool("sponsored", s -> s.listing().sponsored()));

  /** The rejected listings' columns, $18..$26. */
  private static final List<Column<RejectedListing>> REJECTED =
      List.of(
          text("external_id", r -> r.listing().externalId()),
          text("title", r -> r.listing().title()),
          text("reason", r -> r.reason().dbValue()),
          text("detail", RejectedListing::detail),
          text("gpu_slug", RejectedListing::gpuSlug),
          decimal("price", r -> r.listing().price()),
          text("currency", r -> r.listing().currency()),
          decimal("price_usd", RejectedListing::priceUsd),
          text("url", r -> r.listing().url()));

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

  /** The accepted listings' column names, in parameter order (as the statement unnests them). */
  static List<String> listingColumns() {
    return LISTINGS.stream().map(Column::name).toList();
  }

  /** The rejected listings' column names, in parameter order. */
  static List<String> rejectedColumns() {
    return REJECTED.stream().map(Column::name).toList();
  }

  /** One column of a row record, bound as one array. */
  private record Column<T>(String name, Binder<T> binder) {
    void bind(Tuple params, List<T> rows) {
      binder.bind(params, rows);
    }
  }

  private interface Binder<T> {
    void bind(Tuple params, List<T> rows);
  }

  private static <T> Column<T> text(String name, Function<T, String> value) {
    return new Column<>(
        name,
        (params, rows) -> {
          String[] out = new String[rows.size()];
          for (int i = 0; i < out.length; i++) {
            out[i] = value.apply(rows.get(i));
          }
          params.addArrayOfString(out);
        });
  }

  private static <T> Column<T> decimal(String name, Function<T, BigDecimal> value) {
    return text(name, row -> plain(value.apply(row)));
  }

  /** Read as a primitive (a listing always has a GPU count); boxed once, into the bound array. */
  private static <T> Column<T> integer(String name, ToIntFunction<T> value) {
    return new Column<>(
        name,
        (params, rows) -> {
          Integer[] out = new Integer[rows.size()];
          for (int i = 0; i < out.length; i++) {
            out[i] = value.applyAsInt(rows.get(i));
          }
          params.addArrayOfInteger(out);
        });
  }

  private static <T> Column<T> bool(String name, Predicate<T> value) {
    return new Column<>(
        name,
        (params, rows) -> {
          Boolean[] out = new Boolean[rows.size()];
          for (int i = 0; i < out.length; i++) {
            out[i] = value.test(rows.get(i));
          }
          params.addArrayOfBoolean(out);
        });
  }

  private static String plain(BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }
}
