package dev.gputracker.worker.persist;

import dev.gputracker.shared.db.SqlResource;
import dev.gputracker.shared.events.EventSql;
import dev.gputracker.shared.events.payload.ListingCreated;
import dev.gputracker.shared.events.payload.ListingPriceChanged;
import dev.gputracker.shared.events.payload.ListingRemoved;
import dev.gputracker.shared.events.payload.ScrapeRunFinished;
import dev.gputracker.shared.events.payload.SourceHealthChanged;
import java.util.Map;

/**
 * The index of every SQL statement the scraper runs: each non-trivial one is a file beside this
 * class ({@code resources/dev/gputracker/worker/persist/*.sql}, with a header naming its
 * parameters), loaded once; {@code $n} parameters only, prepared once per connection. The events
 * these statements write are defined here, one per type, from their payload records ({@link
 * EventSql}).
 */
final class WorkerSql {
  private WorkerSql() {}

  /**
   * {@code listing.created} from the page write's upsert ({@code u}: its RETURNING; {@code p}: the
   * row before the statement; {@code $2} the kind, {@code $17} the run). {@code relisted} only for
   * a listing that comes back from removal.
   */
  static final EventSql LISTING_CREATED =
      listingEvent(EventSql.of(ListingCreated.class))
          .set("relisted", "CASE WHEN NOT u.inserted THEN true END")
          .build();

  /** {@code listing.price_changed} from the page write, with the price before the change. */
  static final EventSql LISTING_PRICE_CHANGED =
      listingEvent(EventSql.of(ListingPriceChanged.class))
          .set("previous.price", "p.price")
          .set("previous.currency", "p.currency")
          .set("previous.priceUsd", "p.price_usd")
          .build();

  /** {@code listing.removed} from the removal's updated rows ({@code r}; {@code $1} the source). */
  static final EventSql LISTING_REMOVED =
      EventSql.of(ListingRemoved.class)
          .subject("listing", "r.id")
          .gpu("r.gpu_slug")
          .set("listingId", "r.id")
          .set("source", "(SELECT name FROM sources WHERE id = $1)")
          .set("externalId", "r.external_id")
          .set("kind", "r.kind")
          .set("title", "r.title")
          .set("gpu", "r.gpu_slug")
          .set("price", "r.price")
          .set("currency", "r.currency")
          .set("priceUsd", "r.price_usd")
          .set("url", "r.url")
          .set("runId", "$2::bigint")
          .build();

  /** {@code source.health_changed} from the health update ({@code u}; $2 health, $3 reason). */
  static final EventSql SOURCE_HEALTH_CHANGED =
      EventSql.of(SourceHealthChanged.class)
          .subject("source", "u.name")
          .set("source", "u.name")
          .set("health", "$2::text")
          .set("previous", "u.previous")
          .set("reason", "$3::text")
          .set("runId", "$4::bigint")
          .build();

  /** {@code scrape_run.finished} from the finished run ({@code run}) and its sources' rows. */
  static final EventSql SCRAPE_RUN_FINISHED =
      EventSql.of(ScrapeRunFinished.class)
          .subject("scrape_run", "run.id")
          .set("runId", "run.id")
          .set("worker", "run.worker_id")
          .set("mode", "run.mode")
          .set("status", "run.status")
          .set("startedAt", "run.started_at")
          .set("finishedAt", "run.finished_at")
          .list(
              "sources",
              "FROM scrape_run_sources rs JOIN sources s ON s.id = rs.source_id WHERE rs.run_id = run.id",
              "s.name")
          .set("sources.source", "s.name")
          .set("sources.status", "rs.status")
          .set("sources.pages", "rs.pages")
          .set("sources.listingsSeen", "rs.listings_seen")
          .set("sources.listingsNew", "rs.listings_new")
          .set("sources.listingsUpdated", "rs.listings_updated")
          .set("sources.listingsRemoved", "rs.listings_removed")
          .set("sources.listingsRejected", "rs.listings_rejected")
          .set("sources.errors", "rs.errors")
          .build();

  /** Registers the configured sources; returns every source's id. */
  static final String SYNC_SOURCES = load("sync_sources.sql");

  /** One page of listings in one statement; see the file's header. */
  static final String WRITE_PAGE =
      SqlResource.load(
          WorkerSql.class,
          "write_page.sql",
          Map.of(
              "outbox:listing.created|listing.price_changed",
              EventSql.insertEither(
                  "u.inserted OR NOT p.active", LISTING_CREATED, LISTING_PRICE_CHANGED)));

  /** The current price band of each model and kind. */
  static final String PRICE_BANDS = load("price_bands.sql");

  /** After a complete run of a source: what it no longer lists becomes inactive. */
  static final String MARK_REMOVED = load("mark_removed.sql", LISTING_REMOVED);

  /**
   * The stored market figures of the models written since the last refresh, recomputed (V30; in a
   * REPEATABLE READ transaction); returns how many models.
   */
  static final String MARKET_REFRESH = "SELECT gpu_market_refresh()";

  /** The models written since their daily summary's last refresh (V29), in key order. */
  static final String PRICE_DAYS_MARKED =
      "SELECT DISTINCT gpu_slug FROM gpu_price_days_marks ORDER BY gpu_slug";

  /** One model's daily summary brought up to date (in a REPEATABLE READ transaction). */
  static final String PRICE_DAYS_REFRESH = "SELECT gpu_price_days_refresh($1)";

  static final String START_RUN =
      "INSERT INTO scrape_runs (worker_id, mode) VALUES ($1, $2) RETURNING id";

  static final String FINISH_RUN = load("finish_run.sql", SCRAPE_RUN_FINISHED);

  static final String START_SOURCE =
      """
      INSERT INTO scrape_run_sources (run_id, source_id, status) VALUES ($1, $2, 'running')
      ON CONFLICT (run_id, source_id) DO UPDATE SET status = 'running', started_at = now()
      """;

  static final String FINISH_SOURCE = load("finish_source.sql");

  /** The source's recent trusted runs a new run's yield is compared with. */
  static final String BASELINE = load("baseline.sql");

  /** Records a source's health after a run, with an event on a change. */
  static final String SET_HEALTH = load("set_health.sql", SOURCE_HEALTH_CHANGED);

  /** The source's latest finished run. */
  static final String LATEST_RUN = load("latest_run.sql");

  /** An operator accepted a suspect run's yield: runs before it no longer count in the baseline. */
  static final String ACCEPT_BASELINE = "UPDATE sources SET baseline_from_run = $2 WHERE id = $1";

  /** Interrupts the source's runs abandoned by a process that died. */
  static final String RECOVER_ABANDONED = load("recover_abandoned.sql");

  /** The columns the page write's listing and price events have in common. */
  private static EventSql.Builder listingEvent(EventSql.Builder event) {
    return event
        .subject("listing", "u.id")
        .gpu("u.gpu_slug")
        .set("listingId", "u.id")
        .set("source", "u.source_name")
        .set("externalId", "u.external_id")
        .set("kind", "$2::text")
        .set("title", "u.title")
        .set("gpu", "u.gpu_slug")
        .set("price", "u.price")
        .set("currency", "u.currency")
        .set("priceUnit", "u.price_unit")
        .set("priceUsd", "u.price_usd")
        .set("gpuCount", "u.gpu_count")
        .set("url", "u.url")
        .set("runId", "$17::bigint");
  }

  private static String load(String name, EventSql... events) {
    return SqlResource.load(WorkerSql.class, name, EventSql.fills(events));
  }
}
