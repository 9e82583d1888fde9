package dev.gputracker.worker.events;

import dev.gputracker.shared.events.EventSchemas;
import dev.gputracker.shared.events.payload.EventPayloads;
import dev.gputracker.shared.events.payload.JobRequest;
import dev.gputracker.shared.text.FirstLine;
import dev.gputracker.worker.jobs.queue.JobLimits;
import dev.gputracker.worker.jobs.queue.JobQueue;
import dev.gputracker.worker.jobs.queue.JobSpec;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs requested through Kafka: each message of the job request topic is checked against the job
 * request schema ({@code events/schemas/job.request.json}) and queued, idempotent on its {@code
 * request_id} (a redelivered message finds its job and adds none). A message that is not a valid
 * request goes to the dead-letter topic with the reason in its headers, and the intake carries on.
 * Offsets are committed only after every message of a poll has its job row committed or its dead
 * letter acknowledged; after a failure (database or broker away) the intake goes back to the first
 * message not done and tries again, with backoff.
 *
 * <p>A verticle whose life is a {@link Phase}: {@code POLLING} (a poll, or its messages being
 * queued) ⇄ {@code BACKING_OFF} (after a failure) → {@code DRAINING} when undeployed (no new poll;
 * the poll in hand is finished and committed, within 10 s) → {@code STOPPED}.
 */
public final class JobIntake extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(JobIntake.class);

  /** Requests are small; anything bigger is refused before it is parsed. */
  static final int MAX_BYTES = 64 * 1024;

  private static final long MAX_BACKOFF_MS = 30_000;
  private static final long DRAIN_SECONDS = 10;

  /** Where the intake is in its life; see the class comment. */
  public enum Phase {
    POLLING,
    BACKING_OFF,
    DRAINING,
    STOPPED
  }

  private final JobQueue queue;
  private final KafkaSettings settings;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private volatile Phase phase = Phase.POLLING;
  private KafkaConsumer<String, byte[]> consumer;
  private KafkaProducer<String, byte[]> deadLetters;

  /** The poll in hand: resolves when its messages are done (or abandoned). */
  private Future<Void> current = Future.succeededFuture();

  private long backoffMs;

  public JobIntake(JobQueue queue, KafkaSettings settings) {
    this.queue = queue;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    consumer = KafkaConsumer.create(vertx, consumerConfig(settings));
    deadLetters = KafkaProducer.create(vertx, deadLetterConfig(settings));
    return Topics.ensure(
            vertx, settings, List.of(settings.jobRequestsTopic(), settings.deadLetterTopic()))
        .otherwiseEmpty()
        .compose(v -> consumer.subscribe(settings.jobRequestsTopic()))
        .onSuccess(v -> loop());
  }

  private static Map<String, String> consumerConfig(KafkaSettings settings) {
    Map<String, String> c = new HashMap<>();
    c.put("bootstrap.servers", settings.bootstrapServers().orElseThrow());
    c.put("group.id", "gpu-tracker-job-intake");
    c.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    c.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    c.put("enable.auto.commit", "false");
    c.put("auto.offset.reset", "earliest");
    c.put("max.poll.records", "500");
    return c;
  }

  private static Map<String, String> deadLetterConfig(KafkaSettings settings) {
    Map<String, String> p = new HashMap<>();
    p.put("bootstrap.servers", settings.bootstrapServers().orElseThrow());
    p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.block.ms", "5000");
    p.put("max.request.size", Integer.toString(2 * 1024 * 1024));
    return p;
  }

  /** Requests queued as jobs (or found queued already) since start. */
  public long queued() {
    return queued.get();
  }

  /** Messages sent to the dead-letter topic since start. */
  public long deadLettered() {
    return deadLettered.get();
  }

  public Phase phase() {
    return phase;
  }

  private void loop() {
    if (phase == Phase.DRAINING || phase == Phase.STOPPED) {
      return;
    }
    phase = Phase.POLLING;
    current = consumer.poll(Duration.ofMillis(500)).compose(this::handle);
    current.onComplete(this::afterPoll);
  }

  private void afterPoll(AsyncResult<Void> done) {
    if (phase != Phase.POLLING) {
      return;
    }
    if (done.succeeded()) {
      backoffMs = 0;
      context.runOnContext(v -> loop());
      return;
    }
    phase = Phase.BACKING_OFF;
    backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(250, backoffMs * 2));
    LOG.warn("Job intake failed ({}); retrying in {} ms", done.cause().getMessage(), backoffMs);
    vertx.setTimer(backoffMs, id -> loop());
  }

  /**
   * Handles one poll in order; commits its offsets when all of it is done, else rewinds to its
   * first message.
   */
  private Future<Void> handle(KafkaConsumerRecords<String, byte[]> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, Long> first = new LinkedHashMap<>();
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    List<KafkaConsumerRecord<String, byte[]>> all = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, byte[]> r = records.recordAt(i);
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      first.putIfAbsent(tp, r.offset());
      next.put(tp, new OffsetAndMetadata(r.offset() + 1, null));
      all.add(r);
    }
    return sequentially(all, 0)
        .compose(v -> consumer.commit(next))
        .<Void>mapEmpty()
        .recover(err -> rewind(first, err));
  }

  /**
   * Goes back to the start of the poll: what was queued already is found again by its request id.
   */
  private Future<Void> rewind(Map<TopicPartition, Long> first, Throwable err) {
    first.forEach(consumer::seek);
    return Future.failedFuture(err);
  }

  private Future<Void> sequentially(List<KafkaConsumerRecord<String, byte[]>> records, int i) {
    if (i == records.size()) {
      return Future.succeededFuture();
    }
    return one(records.get(i)).compose(v -> sequentially(records, i + 1));
  }

  private Future<Void> one(KafkaConsumerRecord<String, byte[]> record) {
    Request request = Request.parse(record.value());
    if (request.problem().isPresent()) {
      return deadLetter(record, request.problem().get());
    }
    return queue.submit(request.spec()).transform(ar -> queuedOrNot(record, ar));
  }

  private Future<Void> queuedOrNot(KafkaConsumerRecord<String, byte[]> record, AsyncResult<?> ar) {
    if (ar.succeeded()) {
      queued.incrementAndGet();
      return Future.succeededFuture();
    }
    if (ar.cause() instanceof IllegalArgumentException bad) {
      return deadLetter(record, "invalid job: " + bad.getMessage());
    }
    return Future.failedFuture(ar.cause()); // the database: try again later, nothing is lost
  }

  private Future<Void> deadLetter(KafkaConsumerRecord<String, byte[]> record, String reason) {
    KafkaProducerRecord<String, byte[]> dead =
        KafkaProducerRecord.create(
            settings.deadLetterTopic(),
            record.key(),
            record.value() == null ? new byte[0] : record.value());
    dead.addHeader(KafkaHeader.header("dlq-reason", reason))
        .addHeader(KafkaHeader.header("dlq-source-topic", record.topic()))
        .addHeader(KafkaHeader.header("dlq-source-partition", Integer.toString(record.partition())))
        .addHeader(KafkaHeader.header("dlq-source-offset", Long.toString(record.offset())));
    return deadLetters
        .send(dead)
        .<Void>mapEmpty()
        .onSuccess(
            v -> {
              deadLettered.incrementAndGet();
              LOG.info(
                  "Job request at {}-{}@{} dead-lettered: {}",
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  reason);
            });
  }

  /**
   * Stops polling, lets the poll in hand finish and commit (bounded: a database or broker that is
   * away leaves its messages uncommitted, redelivered to the next intake and found by request id),
   * then closes the consumer and the dead-letter producer.
   */
  @Override
  public Future<?> stop() {
    phase = Phase.DRAINING;
    return current
        .timeout(DRAIN_SECONDS, TimeUnit.SECONDS)
        .otherwiseEmpty()
        .compose(v -> Future.join(close(consumer), close(deadLetters)))
        .otherwiseEmpty()
        .onComplete(ar -> phase = Phase.STOPPED);
  }

  private static Future<Void> close(KafkaConsumer<?, ?> c) {
    return c == null ? Future.succeededFuture() : c.close().otherwiseEmpty();
  }

  private static Future<Void> close(KafkaProducer<?, ?> p) {
    return p == null ? Future.succeededFuture() : p.close().otherwiseEmpty();
  }

  /** A message read as a job request: the job, or why it is not one. */
  record Request(JobSpec spec, Optional<String> problem) {
    static Request parse(byte[] value) {
      if (value == null || value.length == 0) {
        return bad("empty message");
      }
      if (value.length > MAX_BYTES) {
        return bad("message of " + value.length + " bytes is over the limit of " + MAX_BYTES);
      }
      String text;
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(value))
                .toString();
      } catch (CharacterCodingException e) {
        return bad("not UTF-8 text");
      }
      Object json;
      try {
        json = Json.decodeValue(text);
      } catch (DecodeException e) {
        return bad("malformed JSON: " + FirstLine.of(e.getMessage()));
      }
      if (!(json instanceof JsonObject o)) {
        return bad("a job request is a JSON object");
      }
      Optional<String> schema = EventSchemas.problems(EventSchemas.JOB_REQUEST, o);
      if (schema.isPresent()) {
        return bad("not a valid job request: " + schema.get());
      }
      JobRequest r;
      try {
        r = (JobRequest) EventPayloads.read(JobRequest.TYPE, o);
      } catch (IllegalArgumentException e) {
        return bad("not a valid job request: " + e.getMessage());
      }
      JsonObject env = new JsonObject();
      if (r.env() != null) {
        r.env().forEach(env::put);
      }
      JobSpec spec =
          new JobSpec(
              r.kind(),
              r.image(),
              r.command() == null ? List.of() : r.command(),
              env,
              orElse(r.gpus(), 0),
              r.minVramGb(),
              orElse(r.timeoutSeconds(), 3600),
              orElse(r.priority(), 0),
              orElse(r.maxAttempts(), 3),
              r.requestId(),
              new JobLimits(r.network() != null && r.network(), r.memoryMb(), r.cpus()));
      return new Request(spec, Optional.empty());
    }

    private static int orElse(Integer value, int otherwise) {
      return value == null ? otherwise : value;
    }

    private static Request bad(String reason) {
      return new Request(null, Optional.of(reason));
    }
  }
}
