package dev.gputracker.worker.events;

import dev.gputracker.shared.db.AdvisoryLocks;
import dev.gputracker.shared.db.OutboxReader;
import dev.gputracker.shared.events.EncodedEvent;
import dev.gputracker.shared.events.OutboxEvent.Position;
import dev.gputracker.worker.retention.BatchedDelete;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox to Kafka, in position order, at least once. One relay at a time across all
 * workers (a PostgreSQL advisory lock on its own connection; another worker takes over when this
 * one dies). Each round reads a batch after the saved cursor, hands the whole batch to the producer
 * in order (idempotent, {@code acks=all}, so one entity's events, which share a key and so a
 * partition, stay in order), waits for every acknowledgement, then saves the cursor. A crash
 * between publishing and saving publishes that batch again: consumers drop repeated event ids.
 * While the broker is away the round fails and is retried with exponential backoff; nothing is
 * lost, the outbox keeps the events. Woken by the outbox's NOTIFY, with a poll as the fallback.
 * Published events older than the retention are pruned by {@link #prune}, which the worker's {@code
 * RetentionJanitor} schedules.
 */
public final class OutboxRelay {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  /** The relay's row in {@code outbox_cursors}. */
  static final String CURSOR_NAME = "kafka";

  private static final int BATCH = 2_000;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Vertx vertx;
  private final Pool pool;
  private final PgConnectOptions connect;
  private final KafkaSettings settings;
  private final AtomicLong published = new AtomicLong();
  private KafkaProducer<String, byte[]> producer;
  private Map<String, String> producerConfig;
  private PgSubscriber subscriber;
  private AdvisoryLocks.Lease lease;
  private volatile Position cursor = Position.START;
  private static final int MAX_IN_FLIGHT = 3;
  private static final byte[] CONTENT_TYPE =
      "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8);
  private Position readPosition = Position.START;
  private Future<Void> saved = Future.succeededFuture();
  private int inFlight;
  private int generation;

  /**
   * The generation in which a record failed: no more records of it are appended (read on the send
   * thread).
   */
  private volatile int failedGeneration = -1;

  private boolean backingOff;
  private boolean running;
  private boolean again;
  private boolean stopped;
  private long backoffMs;
  private long poll = -1;
  private long leader = -1;
  private long lagTimer = -1;
  private volatile long lagEvents;
  private volatile double lagSeconds;

  public OutboxRelay(Vertx vertx, Pool pool, PgConnectOptions connect, KafkaSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.connect = connect;
    this.settings = settings;
  }

  /**
   * Creates the topics if missing, then tries to become the relay; a worker that is not becomes it
   * as soon as the current relay's lock is gone. Resolves once the first attempt is made.
   */
  public Future<Void> start() {
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
    // one by one, so with
    // a timeout an earlier batch could fail while a later one of the same partition still reached a
    // broker that had
    // just come back (a key's later event before its earlier one). Retried in order by the
    // idempotent producer, what
    // reaches a partition is always a prefix of what was appended; a round waits out an outage
    // instead of failing.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "gpu-tracker-outbox-relay");
    producerConfig = Map.copyOf(config);
    producer = KafkaProducer.create(vertx, producerConfig);
    return Topics.ensure(vertx, settings, List.of(settings.eventsTopic()))
        .recover(
            err -> {
              LOG.warn(
                  "Kafka topics not checked ({}); the relay will retry publishing",
                  err.getMessage());
              return Future.succeededFuture();
            })
        .compose(v -> tryLead())
        .onSuccess(
            v -> {
              leader =
                  vertx.setPeriodic(
                      10_000,
                      id -> {
                        if (lease == null && !stopped) {
                          tryLead();
                        }
                      });
              lagTimer = vertx.setPeriodic(5_000, id -> measureLag());
            });
  }

  private Future<Void> tryLead() {
    return new AdvisoryLocks(vertx, connect)
        .tryAcquire(AdvisoryLocks.Key.OUTBOX_RELAY)
        .compose(
            acquired -> {
              if (acquired.isEmpty() || stopped) {
                acquired.ifPresent(AdvisoryLocks.Lease::release);
                return Future.succeededFuture();
              }
              lease = acquired.get();
              lease.onLost(this::stepDown);
              LOG.info("This worker relays the outbox to Kafka topic {}", settings.eventsTopic());
              return loadCursor()
                  .compose(
                      v -> {
                        subscriber =
                            PgSubscriber.subscriber(vertx, connect).reconnectPolicy(n -> 1000L);
                        subscriber.channel("outbox").handler(payload -> pump());
                        poll = vertx.setPeriodic(1000, id -> pump());
                        return subscriber.connect().recover(err -> Future.succeededFuture());
                      })
                  .onSuccess(v -> pump());
            })
        .recover(
            err -> {
              LOG.warn("The outbox relay could not start yet: {}", err.getMessage());
              return Future.succeededFuture();
            });
  }

  /**
   * The lock's connection died, so another worker may lead already: stop publishing at once (what
   * is in flight is published at least once anyway) and try to lead again on the next leadership
   * tick.
   */
  private void stepDown() {
    if (lease == null || stopped) {
      return;
    }
    LOG.warn("The outbox relay lost its lock connection; another worker may take over");
    lease = null;
    generation++;
    // Records still queued here would keep being retried (they never expire) beside the new
    // relay's.
    replaceProducer();
    readPosition = cursor;
    saved = Future.succeededFuture();
    vertx.cancelTimer(poll);
    PgSubscriber s = subscriber;
    subscriber = null;
    if (s != null) {
      s.close();
    }
  }

  private Future<Void> loadCursor() {
    return pool.preparedQuery(EventsSql.CURSOR)
        .execute(Tuple.of(CURSOR_NAME))
        .map(
            rows -> {
              if (rows.size() > 0) {
                cursor =
                    new Position(
                        rows.iterator().next().getLong("tx"), rows.iterator().next().getLong("id"));
              }
              readPosition = cursor;
              return null;
            });
  }

  /** Whether this worker is the relay now. */
  public boolean leading() {
    return lease != null;
  }

  /** Events published since start (at least once: a retried batch counts again). */
  public long published() {
    return published.get();
  }

  /** The position published up to. */
  public Position cursor() {
    return cursor;
  }

  /**
   * Keeps up to {@link #MAX_IN_FLIGHT} batches moving: the next batch is read while earlier ones
   * wait for their acknowledgements, and each batch's position is saved only after every earlier
   * batch's was. A failed batch drops the batches behind it, goes back to the last saved position
   * and backs off.
   */
  private void pump() {
    if (lease == null || stopped) {
      return;
    }
    if (running || inFlight >= MAX_IN_FLIGHT || backingOff) {
      again = true;
      return;
    }
    running = true;
    again = false;
    int generation = this.generation;
    OutboxReader.after(pool, readPosition, BATCH)
        .onComplete(
            ar -> {
              running = false;
              if (generation != this.generation) {
                pump();
                return;
              }
              if (ar.failed()) {
                fail(ar.cause());
                return;
              }
              List<EncodedEvent> events = ar.result();
              if (events.isEmpty()) {
                if (again) {
                  pump();
                }
                return;
              }
              readPosition = events.get(events.size() - 1).position();
              inFlight++;
              Future<Position> acked = send(events, generation);
              saved =
                  saved
                      .compose(v -> acked)
                      .compose(
                          last ->
                              pool.preparedQuery(EventsSql.SAVE_CURSOR)
                                  .execute(
                                      Tuple.of(CURSOR_NAME, Long.toString(last.tx()), last.id()))
                                  .map(
                                      rows -> {
                                        cursor = last;
                                        published.addAndGet(events.size());
                                        return (Void) null;
                                      }));
              saved.onComplete(
                  done -> {
                    inFlight--;
                    if (done.failed()) {
                      if (generation == this.generation) {
                        fail(done.cause());
                      }
                    } else {
                      backoffMs = 0;
                      pump();
                    }
                  });
              if (events.size() == BATCH || again) {
                pump();
              }
            });
  }

  private void fail(Throwable cause) {
    generation++;
    // The failed round's records still queued in the producer must not reach the topic after it (a
    // later event of
    // a key before the earlier one that failed): that producer is dropped at once, unsent records
    // and all, and the
    // round starts again from the saved position on a new one.
    replaceProducer();
    readPosition = cursor;
    saved = Future.succeededFuture();
    backingOff = true;
    backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(250, backoffMs * 2));
    LOG.warn("Publishing the outbox failed ({}); retrying in {} ms", cause.getMessage(), backoffMs);
    vertx.setTimer(
        backoffMs,
        id -> {
          backingOff = false;
          pump();
        });
  }

  /** Drops the producer at once, with whatever it has not sent, for a new one. */
  private void replaceProducer() {
    KafkaProducer<String, byte[]> old = producer;
    producer = KafkaProducer.create(vertx, producerConfig);
    old.close(0).recover(err -> Future.succeededFuture());
  }

  /**
   * Appends the batch to the Kafka producer in order (one ordered worker task: the producer's
   * {@code send} only appends to its buffers), and resolves with the batch's last position once
   * every record is acknowledged.
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
                // after it is appended:
                // a later event of the same key must not reach the topic before the failed one is
                // sent again.
                if (failedGeneration == generation) {
                  acked.tryFail(
                      new IllegalStateException("an earlier event of this round was not accepted"));
                  break;
                }
                ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(
                        settings.eventsTopic(), null, e.epochMillis(), e.key(), e.envelope());
                // The CloudEvents Kafka binding, structured mode: the whole envelope in the value.
                record.headers().add(new RecordHeader("content-type", CONTENT_TYPE));
                kafka.send(
                    record,
                    (metadata, err) -> {
                      if (err != null) {
                        failedGeneration = generation;
                        acked.tryFail(err);
                      } else if (remaining.decrementAndGet() == 0) {
                        acked.tryComplete(last);
                      }
                    });
              }
              return null;
            },
            true)
        .onFailure(acked::tryFail);
    return acked.future();
  }

  /**
   * Deletes, in bounded batches, events older than {@code retention} that the relay has published
   * (none while another worker leads: only the leader knows what was published); resolves with how
   * many.
   */
  public Future<Long> prune(Duration retention, BatchedDelete batches, BooleanSupplier stopped) {
    if (lease == null) {
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
   * process does).
   */
  public Future<Void> drain() {
    if (lease == null) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + 30_000_000_000L;
    vertx.setPeriodic(
        100,
        id ->
            OutboxReader.end(pool)
                .onSuccess(
                    end -> {
                      if (cursor.compareTo(end) >= 0 || System.nanoTime() > deadline) {
                        vertx.cancelTimer(id);
                        done.tryComplete();
                      } else {
                        pump();
                      }
                    }));
    return done.future();
  }

  public Future<Void> stop() {
    stopped = true;
    for (long timer : new long[] {poll, leader, lagTimer}) {
      vertx.cancelTimer(timer);
    }
    Future<Void> sub = subscriber == null ? Future.succeededFuture() : subscriber.close();
    // Bounded: records a broker that is away never took stay in the outbox, past the cursor, for
    // the next relay.
    Future<Void> prod = producer == null ? Future.succeededFuture() : producer.close(5_000);
    return Future.join(sub, prod)
        .<Void>mapEmpty()
        .eventually(() -> lease == null ? Future.succeededFuture() : lease.release())
        .recover(err -> Future.succeededFuture());
  }

  private void measureLag() {
    if (lease == null) {
      return;
    }
    pool.preparedQuery(EventsSql.LAG)
        .execute(Tuple.of(Long.toString(cursor.tx()), cursor.id()))
        .onSuccess(
            rows -> {
              var r = rows.iterator().next();
              lagEvents = r.getLong("events");
              lagSeconds = r.getDouble("seconds");
            });
  }

  /** Events not yet published (measured every 5 s while leading; 0 otherwise). */
  public long lagEvents() {
    return lease == null ? 0 : lagEvents;
  }

  /** Age of the oldest event not yet published, in seconds. */
  public double lagSeconds() {
    return lease == null ? 0 : lagSeconds;
  }
}
