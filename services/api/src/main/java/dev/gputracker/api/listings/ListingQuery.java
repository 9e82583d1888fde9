package dev.gputracker.api.listings;

import dev.gputracker.api.ApiSql;
import dev.gputracker.api.http.Bounded;
import dev.gputracker.api.http.Params;
import dev.gputracker.api.http.Problem;
import dev.gputracker.api.http.Text;
import dev.gputracker.shared.domain.Condition;
import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.domain.Names;
import dev.gputracker.shared.rates.BundledRates;
import dev.gputracker.shared.rates.EcbCurrencies;
import dev.gputracker.shared.rates.ExchangeRates;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code GET /api/listings} parameters, validated: anything malformed is a 400 that names the
 * parameter, never a 5xx. Turns them into one parameterised SQL statement.
 */
final class ListingQuery {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;

  /** Prices (USD) a filter may name: listings are stored with four decimal places. */
  private static final BigDecimal MAX_MONEY = new BigDecimal("1000000000");

  private static final int MONEY_SCALE = 4;

  /** VRAM per GPU in GB a filter may name. */
  private static final BigDecimal MAX_VRAM = new BigDecimal("4096");

  private static final Set<String> KINDS =
      Stream.of(ListingKind.values())
          .map(ListingKind::dbValue)
          .collect(Collectors.toUnmodifiableSet());
  private static final Set<String> VENDORS = Set.of("nvidia", "amd", "intel");
  private static final Set<String> CONDITIONS =
      Stream.of(Condition.values()).map(Condition::dbValue).collect(Collectors.toUnmodifiableSet());
  static final Set<String> KNOWN =
      Set.of(
          "gpu",
          "vendor",
          "kind",
          "condition",
          "source",
          "min_price",
          "max_price",
          "min_vram",
          "gpu_count",
          "location",
          "q",
          "active",
          "sort",
          "limit",
          "cursor",
          "currency");

  final String sql;
  final Tuple params;
  final ListingSort sort;
  final int limit;

  /** The currency prices are also shown in ({@code currency} parameter), or null. */
  final String displayCurrency;

  /**
   * The search's conditions on a listing ({@code l}, with the catalog as {@code g}): the filters,
   * the active flag and the kind, without the order's and the cursor's; their parameters are the
   * first {@link #filterParams} ones. The Atom feed and the live stream match listings with exactly
   * these.
   */
  final List<String> filters;

  final Tuple filterParams;

  private ListingQuery(
      String sql,
      Tuple params,
      ListingSort sort,
      int limit,
      String displayCurrency,
      List<String> filters,
      Tuple filterParams) {
    this.sql = sql;
    this.params = params;
    this.sort = sort;
    this.limit = limit;
    this.displayCurrency = displayCurrency;
    this.filters = filters;
    this.filterParams = filterParams;
  }

  static ListingQuery parse(MultiMap q) {
    return parse(q, MAX_LIMIT, Map.of());
  }

  /**
   * As {@link #parse(MultiMap)}, with a larger page allowed (CSV exports), and each model's median
   * sale price per GPU (USD) for the {@code deal} order.
   */
  static ListingQuery parse(MultiMap q, int maxLimit, Map<String, BigDecimal> medians) {
    for (String name : q.names()) {
      if (!KNOWN.contains(name)) {
        throw Problem.badParameter(
            name,
            "unknown parameter '"
                + truncate(name)
                + "'; known: "
                + String.join(", ", new TreeSet<>(KNOWN)));
      }
    }
    List<String> where = new ArrayList<>();
    Tuple params = Tuple.tuple();

    List<String> gpus = Params.list(q, "gpu");
    if (!gpus.isEmpty()) {
      if (gpus.size() > 50) {
        throw Problem.badParameter("gpu", "at most 50 GPU models");
      }
      for (String g : gpus) {
        if (!Names.isGpuSlug(g)) {
          throw Problem.badParameter(
              "gpu", "gpu must be catalog slugs such as rtx-4090, got '" + truncate(g) + "'");
        }
      }
      if (gpus.size() == 1) {
        params.addString(gpus.get(0));
        where.add(String.format(ApiSql.GPU_EQ, params.size()));
      } else {
        params.addArrayOfString(gpus.toArray(new String[0]));
        where.add(String.format(ApiSql.GPU_IN, params.size()));
      }
    }
    oneOf(q, "vendor", VENDORS).ifPresent(v -> add(where, params, ApiSql.VENDOR, v));
    String kind = oneOf(q, "kind", KINDS).orElse(null);
    oneOf(q, "condition", CONDITIONS).ifPresent(v -> add(where, params, ApiSql.CONDITION, v));
    single(q, "source")
        .ifPresent(
            v -> {
              if (!Names.isSourceName(v)) {
                throw Problem.badParameter(
                    "source",
                    "source must be a source name such as amazon-us, got '" + truncate(v) + "'");
              }
              add(where, params, ApiSql.SOURCE, v);
            });
    BigDecimal minPrice = decimal(q, "min_price", MAX_MONEY);
    BigDecimal maxPrice = decimal(q, "max_price", MAX_MONEY);
    if (minPrice != null && maxPrice != null && minPrice.compareTo(maxPrice) > 0) {
      throw Problem.badParameter("min_price", "min_price must not exceed max_price");
    }
    if (minPrice != null) {
      add(where, params, ApiSql.MIN_PRICE, minPrice.toPlainString());
    }
    if (maxPrice != null) {
      add(where, params, ApiSql.MAX_PRICE, maxPrice.toPlainString());
    }
    BigDecimal minVram = decimal(q, "min_vram", MAX_VRAM);
    if (minVram != null) {
      add(where, params, ApiSql.MIN_VRAM, minVram.toPlainString());
    }
    single(q, "gpu_count")
        .ifPresent(
            v -> {
              int count = Bounded.integer("gpu_count", v, 1, 1024);
              params.addInteger(count);
              where.add(String.format(ApiSql.GPU_COUNT, params.size()));
            });
    single(q, "location")
        .ifPresent(v -> add(where, params, ApiSql.LOCATION, text("location", v, 100)));
    single(q, "q").ifPresent(v -> add(where, params, ApiSql.TITLE_SEARCH, text("q", v, 200)));
    boolean active = single(q, "active").map(v -> bool("active", v)).orElse(true);
    where.add(active ? ApiSql.ACTIVE : ApiSql.REMOVED);

    String sortParam = single(q, "sort").orElse("-last_seen");
    ListingSort sort =
        ListingSort.of(sortParam)
            .orElseThrow(
                () ->
                    Problem.badParameter(
                        "sort",
                        "sort must be one of "
                            + ListingSort.allowed()
                            + ", got '"
                            + truncate(sortParam)
                            + "'"));
    if (kind == null && sort.comparesPrices()) {
      // A card's price and a rental's price per hour are different scales (so are value per dollar
      // and per
      // dollar-hour): without a kind, price and figure orders rank sales, which is what people
      // comparing cards ask
      // for, instead of putting every $/hour rental ahead of them. Deals compare sales with sales.
      kind = ListingKind.SALE.dbValue();
    }
    if (sort == ListingSort.DEAL && !ListingKind.SALE.dbValue().equals(kind)) {
      throw Problem.badParameter(
          "sort",
          "sort=deal ranks sales by their distance from the model's median sale price;"
              + " rentals have none");
    }
    if (kind != null) {
      add(where, params, ApiSql.KIND, kind);
    }
    List<String> filters = List.copyOf(where);
    Tuple filterParams = Tuple.tuple();
    for (int i = 0; i < params.size(); i++) {
      filterParams.addValue(params.getValue(i));
    }
    if (sort.present() != null) {
      where.add(sort.present());
    }
    single(q, "cursor")
        .ifPresent(
            c -> {
              Cursor cursor = Cursor.decode(c, sort);
              params.addString(cursor.key());
              params.addLong(cursor.id());
              where.add(sort.after(params.size() - 1, params.size()));
            });
    int limit =
        single(q, "limit").map(v -> Bounded.integer("limit", v, 1, maxLimit)).orElse(DEFAULT_LIMIT);
    String select = ListingSelects.SELECT;
    String displayCurrency = single(q, "currency").map(ListingQuery::currency).orElse(null);
    if (displayCurrency != null) {
      // The bundled ECB rates stand in while no rates are stored (a fresh or offline installation).
      ExchangeRates bundled = BundledRates.get();
      BigDecimal target = bundled.perEur().get(displayCurrency);
      params.addString(displayCurrency);
      int first = params.size();
      params.addString(target == null ? null : target.toPlainString());
      params.addString(bundled.perEur().get("USD").toPlainString());
      params.addString(bundled.date().toString());
      select =
          String.format(ListingSelects.SELECT_CONVERTED, first, first + 1, first + 2, first + 3);
    }
    if (sort == ListingSort.DEAL) {
      List<String> slugs = new ArrayList<>(medians.size());
      List<String> values = new ArrayList<>(medians.size());
      medians.forEach(
          (slug, median) -> {
            slugs.add(slug);
            values.add(median.toPlainString());
          });
      params.addArrayOfString(slugs.toArray(new String[0]));
      params.addArrayOfString(values.toArray(new String[0]));
      select = ListingSelects.withDeal(select, params.size() - 1, params.size());
      List<String> phaseOne = new ArrayList<>(where);
      phaseOne.remove(
          sort.present()); // every priced sale has a deal; leaving it out keeps the first phase in
      // the index
      // Per model, a share of the rows wanted, so that together the models give them, but at least
      // eight: the page's
      // best deals are spread unevenly, and a bound from the models' single cheapest listings would
      // be loose (at
      // 2,000,000 listings the second phase then read 114 listings per model instead of 6).
      int perModel =
          Math.min(
              limit + 1, Math.max(8, (limit + 1 + slugs.size() - 1) / Math.max(1, slugs.size())));
      select =
          String.format(
                  ApiSql.DEAL_BOUND,
                  String.join(" AND ", phaseOne),
                  params.size() - 1,
                  params.size(),
                  limit + 1,
                  perModel)
              + select;
      where.add(ApiSql.DEAL_WITHIN_BOUND);
    }
    // The limit is SQL text (a number parsed above, never client text): a generic plan sees LIMIT
    // $n as a tenth of
    // the rows, which made it look dearer than every custom plan on a large table, so the search
    // was planned again
    // on every request. One more row than the page tells whether there is a next page.
    String sql =
        select + " WHERE " + String.join(" AND ", where) + sort.orderBy() + " LIMIT " + (limit + 1);
    return new ListingQuery(sql, params, sort, limit, displayCurrency, filters, filterParams);
  }

  /**
   * An ISO 4217 code in any case, upper-cased; a 400 naming it unless the ECB publishes a rate for
   * it.
   */
  private static String currency(String raw) {
    String code = raw.length() == 3 ? raw.toUpperCase(Locale.ROOT) : raw;
    if (!code.matches("[A-Z]{3}")) {
      throw Problem.badParameter(
          "currency", "currency must be an ISO 4217 code such as EUR, got '" + truncate(raw) + "'");
    }
    if (!EcbCurrencies.PUBLISHED.contains(code)) {
      throw Problem.badParameter(
          "currency",
          "currency "
              + code
              + " is not one the ECB publishes reference rates for;"
              + " use one of "
              + String.join(", ", new TreeSet<>(EcbCurrencies.PUBLISHED)));
    }
    return code;
  }

  private static void add(List<String> where, Tuple params, String fragment, String value) {
    params.addString(value);
    where.add(String.format(fragment, params.size()));
  }

  private static Optional<String> single(MultiMap q, String name) {
    List<String> all = q.getAll(name);
    if (all.isEmpty()) {
      return Optional.empty();
    }
    if (all.size() > 1) {
      throw Problem.badParameter(name, name + " may be given once");
    }
    String v = all.get(0).trim();
    if (v.isEmpty()) {
      throw Problem.badParameter(name, name + " must not be empty");
    }
    return Optional.of(v);
  }

  private static Optional<String> oneOf(MultiMap q, String name, Set<String> allowed) {
    return single(q, name)
        .map(
            v -> {
              if (!allowed.contains(v)) {
                throw Problem.badParameter(
                    name,
                    name
                        + " must be one of "
                        + String.join(", ", new TreeSet<>(allowed))
                        + ", got '"
                        + truncate(v)
                        + "'");
              }
              return v;
            });
  }

  /**
   * A non-negative decimal up to {@code max} with at most four decimal places, or null when not
   * given.
   */
  private static BigDecimal decimal(MultiMap q, String name, BigDecimal max) {
    return single(q, name)
        .map(v -> Bounded.decimal(name, v, BigDecimal.ZERO, max, MONEY_SCALE))
        .orElse(null);
  }

  private static boolean bool(String name, String v) {
    switch (v) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw Problem.badParameter(
            name, name + " must be true or false, got '" + truncate(v) + "'");
    }
  }

  private static String text(String name, String v, int max) {
    if (v.length() > max) {
      throw Problem.badParameter(name, name + " must be at most " + max + " characters");
    }
    for (int i = 0; i < v.length(); i++) {
      if (Character.isISOControl(v.charAt(i))) {
        throw Problem.badParameter(name, name + " must not contain control characters");
      }
    }
    return v;
  }

  static String truncate(String v) {
    return Text.excerpt(v);
  }

  /** An opaque position in a sort order: base64url of {@code [sort, key, id]}. */
  record Cursor(String key, long id) {
    private static final Pattern PLAIN = Pattern.compile("[0-9A-Za-z.:+-]*");

    /**
     * Written by hand for the keys every order has (decimal numbers, ISO-8601 times: nothing to
     * escape), byte for byte what {@code JsonArray.encode()} gives; once per page, it was 3 % of
     * the API's CPU through the JSON codec.
     */
    static String encode(ListingSort sort, String key, long id) {
      String json =
          PLAIN.matcher(key).matches()
              ? "[\"" + sort.param + "\",\"" + key + "\"," + id + "]"
              : new JsonArray().add(sort.param).add(key).add(id).encode();
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The largest key a numeric order has (prices, per-GB and per-TFLOP figures, value: four
     * decimal places).
     */
    private static final BigDecimal MAX_KEY = new BigDecimal("1000000000000000");

    private static final int KEY_SCALE = 8;

    /**
     * The cursor's position, its key checked by the same bounded parser as every parameter and
     * written back in the canonical form PostgreSQL reads; anything this API did not issue is a
     * 400.
     */
    static Cursor decode(String cursor, ListingSort sort) {
      JsonArray a;
      try {
        if (cursor.length() > 400) {
          throw new IllegalArgumentException();
        }
        a =
            new JsonArray(
                new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        throw notIssued();
      }
      if (a.size() != 3
          || !(a.getValue(0) instanceof String)
          || !(a.getValue(1) instanceof String)
          || !(a.getValue(2) instanceof Number)) {
        throw notIssued();
      }
      if (!sort.param.equals(a.getString(0))) {
        throw Problem.badParameter(
            "cursor", "cursor belongs to another sort order; start again without it");
      }
      Object rawId = a.getValue(2);
      Long id =
          rawId instanceof Integer || rawId instanceof Long ? ((Number) rawId).longValue() : null;
      if (id == null || id <= 0) {
        throw notIssued();
      }
      String raw = a.getString(1);
      String key;
      if (sort.type.equals("numeric")) {
        // Prices and figures are never negative; a deal is (a sale below its model's median is
        // negative).
        boolean negative = sort == ListingSort.DEAL && raw.startsWith("-");
        BigDecimal d = Bounded.parseDecimal(negative ? raw.substring(1) : raw);
        if (d == null || d.compareTo(MAX_KEY) >= 0 || d.stripTrailingZeros().scale() > KEY_SCALE) {
          throw notIssued();
        }
        key = (negative ? d.negate() : d).toPlainString();
      } else {
        OffsetDateTime t = Bounded.timestampOrNull(raw);
        if (t == null) {
          throw notIssued();
        }
        key = t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      }
      return new Cursor(key, id);
    }

    private static Problem notIssued() {
      return Problem.badParameter("cursor", "cursor is not one this API issued");
    }
  }
}
