package dev.gputracker.api.events;

import dev.gputracker.api.http.Bounded;
import dev.gputracker.api.http.Params;
import dev.gputracker.api.http.Problem;
import dev.gputracker.api.http.Text;
import dev.gputracker.api.listings.ListingMatcher;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.OutboxReader;
import dev.gputracker.shared.domain.Names;
import dev.gputracker.shared.events.EncodedEvent;
import dev.gputracker.shared.events.EventTypes;
import dev.gputracker.shared.events.OutboxEvent.Position;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/events}: the outbox as Server-Sent Events. PostgreSQL's NOTIFY on the outbox
 * (sent at commit) wakes the open streams, which read on from their positions; a poll every two
 * seconds covers a lost notification. Streams at the same position share one read and one encoding
 * of each event: the live ones (caught up, all at the end) cost one query per notification per
 * event loop however many there are, while a stream catching up after a reconnect reads alone until
 * it reaches them. A client resumes with {@code Last-Event-ID} (or {@code last_event_id}) and
 * misses nothing: the event ids are outbox positions. Comments keep idle connections alive through
 * proxies. One instance per event loop; the cap on open streams is per process.
 */
public final class EventsHandler {
  private static final int BATCH = 500;

  private final Vertx vertx;
  private final Pool pool;
  private final DatabaseUrl database;
  private final AtomicInteger open;
  private final int maxStreams;
  private final long heartbeatMillis;
  private final Set<Stream> streams = new LinkedHashSet<>();
  private PgSubscriber subscriber;
  private long poll = -1;
  private long heartbeat = -1;
  private Position seenEnd = Position.START;

  /**
   * Told of every outbox notification (a commit that wrote events), and of every (re)connection of
   * the listener.
   */
  private final List<Runnable> changeListeners = new ArrayList<>();

  public EventsHandler(
      Vertx vertx,
      Pool pool,
      DatabaseUrl database,
      AtomicInteger open,
      int maxStreams,
      int heartbeatSeconds) {
    this.vertx = vertx;
    this.pool = pool;
    this.database = database;
    this.open = open;
    this.maxStreams = maxStreams;
    this.heartbeatMillis = heartbeatSeconds * 1000L;
  }

  /**
   * Listens for the outbox's notifications; the API serves without them (streams then follow the
   * poll).
   */
  public Future<Void> start() {
    subscriber =
        PgSubscriber.subscriber(vertx, database.connectOptions()).reconnectPolicy(n -> 1000L);
    // Listeners first: a client that sees an event must find the change in every figure it then
    // asks for.
    subscriber
        .channel("outbox")
        .handler(
            payload -> {
              changeListeners.forEach(Runnable::run);
              pumpAll();
            });
    // Notifications sent while the listener was away are lost: after a (re)connection, assume
    // something changed.
    subscriber.channel("outbox").subscribeHandler(v -> changeListeners.forEach(Runnable::run));
    poll = vertx.setPeriodic(2000, id -> pollEnd());
    heartbeat = vertx.setPeriodic(heartbeatMillis, id -> streams.forEach(Stream::heartbeat));
    return subscriber.connect().recover(err -> Future.succeededFuture());
  }

  /**
   * Calls {@code listener} on this event loop whenever the outbox notifies a commit (the data the
   * API serves changed), and after the listener (re)connects. Caches hang off it.
   */
  public void onChange(Runnable listener) {
    changeListeners.add(listener);
  }

  /** Ends every stream (so the server's drain does not wait on them) and stops listening. */
  public Future<Void> stop() {
    vertx.cancelTimer(poll);
    vertx.cancelTimer(heartbeat);
    for (Stream s : List.copyOf(streams)) {
      s.close();
    }
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }

  /**
   * An event id this stream sent, "transaction.id": two whole numbers, read by the API's bounded
   * parser.
   */
  static Position position(String text) {
    int dot = text.indexOf('.');
    Long tx = dot <= 0 ? null : Bounded.parseLong(text.substring(0, dot));
    Long id = dot <= 0 ? null : Bounded.parseLong(text.substring(dot + 1));
    if (tx == null || id == null) {
      throw Problem.badParameter(
          "last_event_id",
          "Last-Event-ID is not an id this stream sent (two whole numbers,"
              + " transaction.id), got '"
              + Text.excerpt(text)
              + "'");
    }
    return new Position(tx, id);
  }

  public void stream(RoutingContext ctx) {
    var q = ctx.queryParams();
    Set<String> known = new HashSet<>(ListingMatcher.PARAMS);
    known.addAll(Set.of("type", "gpu", "last_event_id"));
    Params.onlyKnown(q, known);
    // The listing search's own filters (a 400 naming a bad one): listing events pass when their
    // listing matches.
    ListingMatcher matcher = ListingMatcher.parse(q);
    Set<String> types = Set.copyOf(list(ctx, "type"));
    for (String t : types) {
      if (!EventTypes.ALL.contains(t)) {
        throw Problem.badParameter(
            "type", "type must be among " + String.join(", ", EventTypes.ALL));
      }
    }
    Set<String> gpus = Set.copyOf(list(ctx, "gpu"));
    for (String g : gpus) {
      if (!Names.isGpuSlug(g)) {
        throw Problem.badParameter("gpu", "gpu must be catalog slugs such as rtx-4090");
      }
    }
    String resume = ctx.request().getHeader("Last-Event-ID");
    if (resume == null || resume.isBlank()) {
      resume = Params.single(q, "last_event_id").orElse(null);
    }
    Position from = resume == null || resume.isBlank() ? null : position(resume.trim());
    if (open.incrementAndGet() > maxStreams) {
      open.decrementAndGet();
      ctx.response().putHeader("retry-after", "30");
      throw new Problem(
          503,
          "Too many streams",
          "the API serves at most " + maxStreams + " live streams at once; try again shortly",
          null);
    }
    Future<Position> start = from != null ? Future.succeededFuture(from) : OutboxReader.end(pool);
    start
        .onFailure(
            err -> {
              open.decrementAndGet();
              ctx.fail(err);
            })
        .onSuccess(
            position -> {
              HttpServerResponse response =
                  ctx.response()
                      .putHeader("content-type", "text/event-stream; charset=utf-8")
                      .putHeader("cache-control", "no-cache")
                      // Compression would hold events back in the compressor's buffer.
                      .putHeader("content-encoding", "identity")
                      .putHeader("x-accel-buffering", "no")
                      .setChunked(true);
              Stream s = new Stream(response, position, types, gpus, matcher);
              streams.add(s);
              response.closeHandler(v -> s.close());
              response.write("retry: 2000\n\n");
              s.pump();
            });
  }

  public int openStreams() {
    return streams.size();
  }

  private static List<String> list(RoutingContext ctx, String name) {
    List<String> values = Params.list(ctx.queryParams(), name);
    if (values.size() > 50) {
      throw Problem.badParameter(name, "at most 50 values of " + name);
    }
    return values;
  }

  /** Wakes every stream: those ready to read are grouped by position, one read per group. */
  private void pumpAll() {
    Map<Position, List<Stream>> groups = new HashMap<>();
    for (Stream s : List.copyOf(streams)) {
      if (s.readyToRead()) {
        groups.computeIfAbsent(s.position, p -> new ArrayList<>()).add(s);
      }
    }
    groups.forEach(this::read);
  }

  /**
   * One outbox read for every stream of {@code group} (all at {@code from}); each event is framed
   * once.
   */
  private void read(Position from, List<Stream> group) {
    group.forEach(s -> s.reading = true);
    OutboxReader.after(pool, from, BATCH)
        .onComplete(
            ar -> {
              List<Frame> frames = null;
              if (ar.succeeded()) {
                frames = new ArrayList<>(ar.result().size());
                for (EncodedEvent e : ar.result()) {
                  // The envelope is compact JSON (no line breaks), so it fits one data line as it
                  // is.
                  frames.add(
                      new Frame(
                          e,
                          Buffer.buffer(e.envelope().length + 64)
                              .appendString(
                                  "id: " + e.position() + "\nevent: " + e.type() + "\ndata: ")
                              .appendBytes(e.envelope())
                              .appendString("\n\n")));
                }
              }
              for (Stream s : group) {
                s.deliver(frames);
              }
            });
  }

  /**
   * The listing a listing event concerns (its key is {@code listing-<id>}), or null for any other
   * event.
   */
  private static Long listingId(EncodedEvent e) {
    String key = e.key();
    if (!e.type().startsWith("listing.") || key == null || !key.startsWith("listing-")) {
      return null;
    }
    try {
      return Long.parseLong(key.substring("listing-".length()));
    } catch (NumberFormatException ex) {
      return null;
    }
  }

  /** An event as its stream bytes. */
  private record Frame(EncodedEvent event, Buffer bytes) {}

  /**
   * The fallback for a lost notification: one cheap query a tick, and a pump only when the end
   * moved.
   */
  private void pollEnd() {
    if (streams.isEmpty()) {
      return;
    }
    OutboxReader.end(pool)
        .onSuccess(
            end -> {
              if (end.compareTo(seenEnd) != 0) {
                seenEnd = end;
                pumpAll();
              }
            });
  }

  /** One client's stream: its position, its filters, and at most one read in flight. */
  private final class Stream {
    private final HttpServerResponse response;
    private final Set<String> types;
    private final Set<String> gpus;

    /**
     * The listing search's filters, or null: with them, only listing events of matching listings
     * pass.
     */
    private final ListingMatcher matcher;

    private Position position;
    private boolean reading;
    private boolean again;
    private boolean closed;

    Stream(
        HttpServerResponse response,
        Position position,
        Set<String> types,
        Set<String> gpus,
        ListingMatcher matcher) {
      this.response = response;
      this.position = position;
      this.types = types;
      this.gpus = gpus;
      this.matcher = matcher;
    }

    /** Not closed, not reading, and with room to write; otherwise it pumps again when it can. */
    boolean readyToRead() {
      if (closed) {
        return false;
      }
      if (reading || response.writeQueueFull()) {
        again = true;
        if (!reading) {
          response.drainHandler(v -> pump());
        }
        return false;
      }
      return true;
    }

    void pump() {
      if (readyToRead()) {
        read(position, List.of(this));
      }
    }

    /** The result of a read this stream took part in; {@code null} when the database was away. */
    void deliver(List<Frame> frames) {
      reading = false;
      if (closed || frames == null) {
        // Closed meanwhile, or the database is away: the poll or the next notification tries again.
        return;
      }
      List<Frame> passing = new ArrayList<>();
      List<Long> listings = new ArrayList<>();
      for (Frame f : frames) {
        EncodedEvent e = f.event();
        if ((types.isEmpty() || types.contains(e.type()))
            && (gpus.isEmpty() || gpus.contains(e.gpu()))) {
          Long listing = listingId(e);
          if (matcher == null || listing != null) {
            passing.add(f);
          }
          if (matcher != null && listing != null) {
            listings.add(listing);
          }
        }
      }
      if (listings.isEmpty()) {
        write(frames, passing, null);
        return;
      }
      // The search's filters are asked of the database, for all of the batch's listings at once;
      // the stream reads
      // no further until they are answered, so its events stay in order.
      reading = true;
      matcher
          .matching(pool, listings)
          .onComplete(
              ar -> {
                reading = false;
                if (!closed && ar.succeeded()) {
                  write(frames, passing, ar.result());
                }
                // On failure the position stays: the poll or the next notification reads the batch
                // again.
              });
    }

    /**
     * Writes the passing frames (of listings in {@code matched} where a matcher filters) and moves
     * past the batch.
     */
    private void write(List<Frame> frames, List<Frame> passing, Set<Long> matched) {
      Buffer out = Buffer.buffer();
      for (Frame f : passing) {
        if (matched == null || matched.contains(listingId(f.event()))) {
          out.appendBuffer(f.bytes());
        }
      }
      if (!frames.isEmpty()) {
        position = frames.get(frames.size() - 1).event().position();
      }
      if (out.length() > 0) {
        response.write(out);
      }
      if (frames.size() == BATCH || again) {
        again = false;
        pump();
      }
    }

    void heartbeat() {
      if (!closed && !response.writeQueueFull()) {
        response.write(": keepalive\n\n");
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      streams.remove(this);
      open.decrementAndGet();
      if (!response.ended() && !response.closed()) {
        response.end();
      }
    }
  }
}
