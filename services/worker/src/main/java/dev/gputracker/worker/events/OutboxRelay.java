package dev.gputracker.worker.events;

import dev.gputracker.shared.db.AdvisoryLocks;
import dev.gputracker.shared.db.AdvisoryLocks.Lease;
import dev.gputracker.shared.db.OutboxReader;
import dev.gputracker.shared.events.EncodedEvent;
import dev.gputracker.shared.events.OutboxEvent.Position;
import dev.gputracker.worker.retention.BatchedDelete;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox to Kafka, in position order, at least once. A verticle: everything it
 * changes, it changes on its own event loop. One relay at a time across all workers (a PostgreSQL
 * advisory lock on its own connection; another worker takes over when this one dies). Each round
 * reads a batch after the saved cursor, hands the whole batch to the producer in order (idempotent,
 * {@code acks=all}, so one entity's events, which share a key and so a partition, stay in order),
 * waits for every acknowledgement, then saves the cursor. A crash between publishing and saving
 * publishes that batch again: consumers drop repeated event ids. While the broker is away the round
 * fails and is retried with exponential backoff; nothing is lost, the outbox keeps the events.
 * Woken by the outbox's NOTIFY, with a poll as the fallback. Published events older than the
 * retention are pruned by {@link #prune}, which the worker's {@code RetentionJanitor} schedules.
 *
 * <p>Its life is a {@link Phase}: {@code STANDBY} (another worker holds the lock, or nobody could
 * take it yet: it tries every 10 s) → {@code LEADING} (it publishes) → back to {@code STANDBY} when
 * the lock's connection dies, or {@code DRAINING} when undeployed (no new batch is read; the
 * batches in flight are acknowledged and their positions saved, within 5 s) → {@code STOPPED}.
 */
public final class OutboxRelay extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  /** The relay's row in {@code outbox_cursors}. */
  static final String CURSOR_NAME = "kafka";

  private static final int BATCH = 2_000;
  private static final int MAX_IN_FLIGHT = 3;
  private static final long MAX_BACKOFF_MS = 30_000;
  private static final long LEADERSHIP_TICK_MS = 10_000;
  private static final long LAG_TICK_MS = 5_000;
  private static final long POLL_MS = 1_000;
  private static final long CLOSE_MS = 5_000;
  private static final byte[] CONTENT_TYPE =
      "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8);

  /** Where the relay is in its life; see the class comment. */
  public enum Phase {
    STANDBY,
    LEADING,
    DRAINING,
    STOPPED
  }

  /** What the relay holds only while it leads: the lock, the NOTIFY listener and the poll. */
  private record Leadership(Lease lease, PgSubscriber subscriber, long pollTimer) {}

  /**
   * The publishing pipeline, replaced as a whole at each step. {@code read} is where the next batch
   * starts, {@code saved} resolves when the last batch sent has its position saved (batches are
   * saved in order), {@code generation} changes when a failure or a lost lock abandons what is in
   * flight, {@code again} remembers a wake-up that came while the relay could not read.
   */
  record Round(
      int generation,
      Position read,
      Future<Void> saved,
      int inFlight,
      boolean reading,
      boolean again,
      boolean backingOff,
      long backoffMs) {
    static Round at(Position cursor) {
      return new Round(0, cursor, Future.succeededFuture(), 0, false, false, false, 0);
    }

    /** Whether a batch may be read now. */
    boolean canRead() {
      return !reading && !backingOff && inFlight < MAX_IN_FLIGHT;
    }

    Round startRead() {
      return new Round(generation, read, saved, inFlight, true, false, backingOff, backoffMs);
    }

    Round readDone() {
      return new Round(generation, read, saved, inFlight, false, again, backingOff, backoffMs);
    }

    Round wakeLater() {
      return new Round(generation, read, saved, inFlight, reading, true, backingOff, backoffMs);
    }

    Round sent(Position last, Future<Void> savedNow) {
      return new Round(
          generation, last, savedNow, inFlight + 1, reading, again, backingOff, backoffMs);
    }

    Round batchDone(boolean succeeded) {
      return new Round(
          generation,
          read,
          saved,
          inFlight - 1,
          reading,
          again,
          backingOff,
          succeeded ? 0 : backoffMs);
    }

    /** Abandons what is in flight and starts again from {@code cursor}. */
    Round restartAt(Position cursor) {
      return new Round(
          generation + 1,
          cursor,
          Future.succeededFuture(),
          inFlight,
          reading,
          again,
          backingOff,
          backoffMs);
    }

    Round backOff() {
      long next = Math.min(MAX_BACKOFF_MS, Math.max(250, backoffMs * 2));
      return new Round(generation, read, saved, inFlight, reading, again, true, next);
    }

    Round backedOff() {
      return new Round(generation, read, saved, inFlight, reading, again, false, backoffMs);
    }
  }

  /** The outbox's lag as last measured. */
  private record Lag(long events, double seconds) {
    static final Lag NONE = new Lag(0, 0);
  }

  private final Pool pool;
  private final PgConnectOptions connect;
  private final KafkaSettings settings;
  private final Map<String, String> producerConfig;
  private final AtomicLong published = new AtomicLong();
  private volatile Phase phase = Phase.STANDBY;
  private volatile Position cursor = Position.START;
  private volatile Lag lag = Lag.NONE;
  private Round round = Round.at(Position.START);
  private Leadership leadership;
  private KafkaProducer<String, byte[]> producer;
  private long[] timers = new long[0];
  private Consumer<OutboxRelay> observer = relay -> {};

  /**
   * The generation in which a record failed: no more records of it are appended (read on the send
   * thread).
   */
  private volatile int failedGeneration = -1;

  public OutboxRelay(Pool pool, PgConnectOptions connect, KafkaSettings settings) {
    this.pool = pool;
    this.connect = connect;
    this.settings = settings;
    this.producerConfig = producerConfig(settings);
  }

  private static Map<String, String> producerConfig(KafkaSettings settings) {
    Map<String, String> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers().orElseThrow());
    config.put(
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        "org.apache.kafka.common.serialization.StringSerializer");
    config.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        "org.apache.kafka.common.serialization.ByteArraySerializer");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // A broker that is away must fail a round quickly, not hold a worker thread for the default
    // minute.
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    // A record once appended is retried until the broker takes it, never expired: batches expire
    // one by one, so with a timeout an earlier batch could fail while a later one of the same
    // partition still reached a broker that had just come back (a key's later event before its
    // earlier one). Retried in order by the idempotent producer, what reaches a partition is always
    // a prefix of what was appended; a round waits out an outage instead of failing.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "gpu-tracker-outbox-relay");
    return Map.copyOf(config);
  }

  /**
   * Creates the topics if missing, then tries to lead; a relay that does not lead tries again every
   * 10 s, so it takes over soon after the current relay's lock is gone. Resolves once the first
   * attempt is made.
   */
  @Override
  public Future<?> start() {
    producer = KafkaProducer.create(vertx, producerConfig);
    return Topics.ensure(vertx, settings, List.of(settings.eventsTopic()))
        .recover(this::topicsUnchecked)
        .compose(v -> tryLead())
        .onSuccess(v -> startTimers());
  }

  private Future<Void> topicsUnchecked(Throwable err) {
    LOG.warn("Kafka topics not checked ({}); the relay will retry publishing", err.getMessage());
    return Future.succeededFuture();
  }

  private void startTimers() {
    timers =
        new long[] {
          vertx.setPeriodic(LEADERSHIP_TICK_MS, id -> leadershipTick()),
          vertx.setPeriodic(LAG_TICK_MS, id -> measureLag())
        };
  }

  private void leadershipTick() {
    if (phase == Phase.STANDBY) {
      tryLead();
    }
  }

  private Future<Void> tryLead() {
    return new AdvisoryLocks(vertx, connect)
        .tryAcquire(AdvisoryLocks.Key.OUTBOX_RELAY)
        .compose(this::lead)
        .recover(this::notLeadingYet);
  }

  /**
   * With the lock: reads the saved cursor and listens for new events, then leads. Without it, or
   * when the relay was stopped meanwhile, stays as it is.
   */
  private Future<Void> lead(Optional<Lease> acquired) {
    if (acquired.isEmpty()) {
      return Future.succeededFuture();
    }
    Lease lease = acquired.get();
    if (phase != Phase.STANDBY) {
      return lease.release();
    }
    return loadCursor()
        .compose(v -> listen())
        .onSuccess(subscriber -> becomeLeader(lease, subscriber))
        .<Void>mapEmpty()
        // Without its cursor or its listener the relay cannot lead: it lets the lock go for the
        // next tick (or another worker) to try again.
        .onFailure(err -> lease.release());
  }

  private Future<Void> notLeadingYet(Throwable err) {
    LOG.warn("The outbox relay could not start yet: {}", err.getMessage());
    return Future.succeededFuture();
  }

  private Future<Void> loadCursor() {
    return pool.preparedQuery(EventsSql.CURSOR).execute(Tuple.of(CURSOR_NAME)).map(this::cursorOf);
  }

  private Void cursorOf(RowSet<Row> rows) {
    if (rows.size() > 0) {
      Row row = rows.iterator().next();
      cursor = new Position(row.getLong("tx"), row.getLong("id"));
    }
    return null;
  }

  private Future<PgSubscriber> listen() {
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, connect).reconnectPolicy(n -> 1000L);
    subscriber.channel("outbox").handler(payload -> pump());
    // The poll covers a listener that could not connect (or reconnects).
    return subscriber.connect().otherwiseEmpty().map(subscriber);
  }

  private void becomeLeader(Lease lease, PgSubscriber subscriber) {
    if (phase != Phase.STANDBY) {
      subscriber.close();
      lease.release();
      return;
    }
    leadership = new Leadership(lease, subscriber, vertx.setPeriodic(POLL_MS, id -> pump()));
    lease.onLost(() -> context.runOnContext(v -> stepDown(lease)));
    round = round.restartAt(cursor);
    enter(Phase.LEADING);
    LOG.info("This worker relays the outbox to Kafka topic {}", settings.eventsTopic());
    pump();
  }

  /**
   * The lock's connection died, so another worker may lead already: stop publishing at once (what
   * is in flight is published at least once anyway) and try to lead again on the next tick.
   */
  private void stepDown(Lease lost) {
    if (phase != Phase.LEADING || leadership.lease() != lost) {
      return;
    }
    LOG.warn("The outbox relay lost its lock connection; another worker may take over");
    Leadership was = leadership;
    leadership = null;
    vertx.cancelTimer(was.pollTimer());
    was.subscriber().close();
    // Records still queued here would keep being retried (they never expire) beside the new
    // relay's.
    replaceProducer();
    advance(round.restartAt(cursor));
    enter(Phase.STANDBY);
  }

  /** Whether this worker is the relay now. */
  public boolean leading() {
    return phase == Phase.LEADING;
  }

  public Phase phase() {
    return phase;
  }

  /** Events published since start (at least once: a retried batch counts again). */
  public long published() {
    return published.get();
  }

  /** The position published up to. */
  public Position cursor() {
    return cursor;
  }

  /** The pipeline now (on the relay's event loop). */
  Round round() {
    return round;
  }

  /**
   * Calls {@code observer} on the relay's event loop after each change of phase or pipeline: tests
   * act on an exact state rather than wait for one.
   */
  void observe(Consumer<OutboxRelay> observer) {
    this.observer = observer;
  }

  private void enter(Phase next) {
    phase = next;
    observer.accept(this);
  }

  private void advance(Round next) {
    round = next;
    observer.accept(this);
  }

  /**
   * Keeps up to {@link #MAX_IN_FLIGHT} batches moving: the next batch is read while earlier ones
   * wait for their acknowledgements, and each batch's position is saved only after every earlier
   * batch's was. A failed batch drops the batches behind it, goes back to the last saved position
   * and backs off.
   */
  private void pump() {
    if (phase != Phase.LEADING) {
      return;
    }
    if (!round.canRead()) {
      round = round.wakeLater();
      return;
    }
    advance(round.startRead());
    int generation = round.generation();
    OutboxReader.after(pool, round.read(), BATCH).onComplete(ar -> onRead(generation, ar));
  }

  private void onRead(int generation, AsyncResult<List<EncodedEvent>> read) {
    advance(round.readDone());
    if (generation != round.generation()) {
      pump(); // a batch read before a failure: the next round reads again from the cursor
    } else if (phase != Phase.LEADING) {
      return; // draining: what was read waits in the outbox for the next relay
    } else if (read.failed()) {
      fail(read.cause());
    } else if (read.result().isEmpty()) {
      pumpIfWoken();
    } else {
      publish(generation, read.result());
      if (read.result().size() == BATCH) {
        pump();
      } else {
        pumpIfWoken();
      }
    }
  }

  private void pumpIfWoken() {
    if (round.again()) {
      pump();
    }
  }

  /** Sends a batch and chains the saving of its position after the batches before it. */
  private void publish(int generation, List<EncodedEvent> events) {
    Position last = events.get(events.size() - 1).position();
    Future<Position> acked = send(events, generation);
    Future<Void> saved =
        round.saved().compose(v -> acked).compose(position -> saveCursor(position, events.size()));
    advance(round.sent(last, saved));
    saved.onComplete(ar -> onSaved(generation, ar));
  }

  private Future<Void> saveCursor(Position last, int count) {
    return pool.preparedQuery(EventsSql.SAVE_CURSOR)
        .execute(Tuple.of(CURSOR_NAME, Long.toString(last.tx()), last.id()))
        .map(
            rows -> {
              cursor = last;
              published.addAndGet(count);
              return null;
            });
  }

  private void onSaved(int generation, AsyncResult<Void> saved) {
    advance(round.batchDone(saved.succeeded()));
    if (saved.succeeded()) {
      pump();
    } else if (generation == round.generation()) {
      fail(saved.cause());
    }
  }

  /**
   * The failed round's records still queued in the producer must not reach the topic after it (a
   * later event of a key before the earlier one that failed): that producer is dropped at once,
   * unsent records and all, and the round starts again from the saved position on a new one after a
   * backoff. A relay no longer leading leaves what failed to the next relay.
   */
  private void fail(Throwable cause) {
    if (phase != Phase.LEADING) {
      return;
    }
    replaceProducer();
    advance(round.restartAt(cursor).backOff());
    long delay = round.backoffMs();
    LOG.warn("Publishing the outbox failed ({}); retrying in {} ms", cause.getMessage(), delay);
    vertx.setTimer(delay, id -> backedOff());
  }

  private void backedOff() {
    advance(round.backedOff());
    pump();
  }

  /** Drops the producer at once, with whatever it has not sent, for a new one. */
  private void replaceProducer() {
    KafkaProducer<String, byte[]> old = producer;
    producer = KafkaProducer.create(vertx, producerConfig);
    old.close(0).otherwiseEmpty();
  }

  /**
   * Appends the batch to the Kafka producer in order (one ordered worker task: the producer's
   * {@code send} only appends to its buffers), and resolves, on the relay's event loop, with the
   * batch's last position once every record is acknowledged.
   */
  private Future<Position> send(List<EncodedEvent> events, int generation) {
    Producer<String, byte[]> kafka = producer.unwrap();
    Promise<Position> acked = Promise.promise();
    AtomicLong remaining = new AtomicLong(events.size());
    Position last = events.get(events.size() - 1).position();
    vertx
        .executeBlocking(
            () -> {
              for (EncodedEvent e : events) {
                // Once a record of this round failed (a broker away past max.block.ms), nothing
                // after it is appended: a later event of the same key must not reach the topic
                // before the failed one is sent again.
                if (failedGeneration == generation) {
                  acked.tryFail(
                      new IllegalStateException("an earlier event of this round was not accepted"));
                  break;
                }
                kafka.send(
                    record(e),
                    (metadata, err) -> {
                      if (err != null) {
                        failedGeneration = generation;
                        context.runOnContext(v -> acked.tryFail(err));
                      } else if (remaining.decrementAndGet() == 0) {
                        context.runOnContext(v -> acked.tryComplete(last));
                      }
                    });
              }
              return null;
            },
            true)
        .onFailure(acked::tryFail);
    return acked.future();
  }

  private ProducerRecord<String, byte[]> record(EncodedEvent e) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(settings.eventsTopic(), null, e.epochMillis(), e.key(), e.envelope());
    // The CloudEvents Kafka binding, structured mode: the whole envelope in the value.
    record.headers().add(new RecordHeader("content-type", CONTENT_TYPE));
    return record;
  }

  /**
   * Deletes, in bounded batches, events older than {@code retention} that the relay has published
   * (none while another worker leads: only the leader knows what was published); resolves with how
   * many.
   */
  public Future<Long> prune(Duration retention, BatchedDelete batches, BooleanSupplier stopped) {
    if (phase != Phase.LEADING) {
      return Future.succeededFuture(0L);
    }
    Position published = cursor;
    return batches.run(
        pool,
        EventsSql.PRUNE_PUBLISHED,
        Tuple.of(retention.toSeconds(), Long.toString(published.tx()), published.id()),
        stopped);
  }

  /**
   * Publishes what is in the outbox now, then resolves (a oneshot run's events leave before the
   * process does); gives up after 30 s. Resolves at once when this worker does not lead.
   */
  public Future<Void> catchUp() {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    context.runOnContext(v -> catchUpBy(deadline).onComplete(done));
    return done.future();
  }

  private Future<Void> catchUpBy(long deadline) {
    if (phase != Phase.LEADING || System.nanoTime() > deadline) {
      return Future.succeededFuture();
    }
    return OutboxReader.end(pool)
        .map(end -> cursor.compareTo(end) >= 0)
        .otherwise(false)
        .compose(caughtUp -> caughtUp ? Future.succeededFuture() : waitForPump(deadline));
  }

  private Future<Void> waitForPump(long deadline) {
    pump();
    return vertx.timer(100).compose(v -> catchUpBy(deadline));
  }

  /**
   * Stops taking work (no new batch is read), lets the batches in flight be acknowledged and their
   * positions saved (within 5 s: records a broker that is away never took stay in the outbox, past
   * the cursor, for the next relay), then closes the listener and gives the lock back.
   */
  @Override
  public Future<?> stop() {
    enter(Phase.DRAINING);
    for (long timer : timers) {
      vertx.cancelTimer(timer);
    }
    Leadership held = leadership;
    if (held != null) {
      vertx.cancelTimer(held.pollTimer());
    }
    Future<Void> inFlight = round.saved();
    return inFlight
        .timeout(CLOSE_MS, TimeUnit.MILLISECONDS)
        .otherwiseEmpty()
        // Whatever is still unacknowledged now is dropped: it is past the saved cursor, so the
        // next relay publishes it.
        .compose(v -> producer == null ? Future.succeededFuture() : producer.close(0))
        .otherwiseEmpty()
        .eventually(() -> held == null ? Future.succeededFuture() : held.subscriber().close())
        .eventually(() -> held == null ? Future.succeededFuture() : held.lease().release())
        .otherwiseEmpty()
        .onComplete(ar -> enter(Phase.STOPPED));
  }

  private void measureLag() {
    if (phase != Phase.LEADING) {
      return;
    }
    Position at = cursor;
    pool.preparedQuery(EventsSql.LAG)
        .execute(Tuple.of(Long.toString(at.tx()), at.id()))
        .onSuccess(
            rows -> {
              Row r = rows.iterator().next();
              lag = new Lag(r.getLong("events"), r.getDouble("seconds"));
            });
  }

  /** Events not yet published (measured every 5 s while leading; 0 otherwise). */
  public long lagEvents() {
    return phase == Phase.LEADING ? lag.events() : 0;
  }

  /** Age of the oldest event not yet published, in seconds. */
  public double lagSeconds() {
    return phase == Phase.LEADING ? lag.seconds() : 0;
  }
}
