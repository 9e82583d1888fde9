package dev.gputracker.shared.events;

import java.util.List;

/**
 * The event types the system emits; each has a JSON Schema in {@code events/schemas/<type>.json}.
 */
public final class EventTypes {
  public static final String LISTING_CREATED = "listing.created";
  public static final String LISTING_PRICE_CHANGED = "listing.price_changed";
  public static final String LISTING_REMOVED = "listing.removed";
  public static final String SCRAPE_RUN_FINISHED = "scrape_run.finished";
  public static final String JOB_STATE_CHANGED = "job.state_changed";
  public static final String WORKER_JOINED = "worker.joined";
  public static final String WORKER_LEFT = "worker.left";
  public static final String SOURCE_HEALTH_CHANGED = "source.health_changed";

  public static final List<String> ALL =
      List.of(
          LISTING_CREATED,
          LISTING_PRICE_CHANGED,
          LISTING_REMOVED,
          SCRAPE_RUN_FINISHED,
          JOB_STATE_CHANGED,
          WORKER_JOINED,
          WORKER_LEFT,
          SOURCE_HEALTH_CHANGED);

  private EventTypes() {}
}
