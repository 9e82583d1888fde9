package dev.gputracker.worker.jobs;

import dev.gputracker.shared.observability.ErrorReporting;
import dev.gputracker.worker.jobs.executors.JobExecutor;
import dev.gputracker.worker.jobs.queue.ClaimedJob;
import dev.gputracker.worker.jobs.queue.JobOutcome;
import dev.gputracker.worker.jobs.queue.JobQueue;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Claims jobs up to its capacity, runs them on their executors, completes them in batches and
 * heartbeats their leases. A NOTIFY on {@link JobQueue#CHANNEL} wakes it at once; polling is only
 * the fallback.
 *
 * <p>A verticle whose life is a {@link Phase}: {@code IDLE} (not deployed: it runs what is queued
 * when asked, {@link #runQueuedNow}, as a oneshot run does) → {@code LISTENING} once deployed (it
 * claims whenever woken, heartbeats and reaps leases) → {@code STOPPED} when undeployed (it claims
 * nothing more; the jobs in flight finish and complete, {@link #idle} resolves when they have).
 */
public final class JobRunner extends VerticleBase {
  /**
   * Runner settings; {@code gpus} are this worker's devices (jobs get specific ones), {@code
   * pollMillis} is the fallback when no NOTIFY arrives.
   */
  public record Settings(
      String owner, int capacity, GpuSlots gpus, int leaseSeconds, long pollMillis) {}

  /** Where the runner is in its life; see the class comment. */
  public enum Phase {
    IDLE,
    LISTENING,
    STOPPED
  }

  private final JobQueue queue;
  private final Settings settings;
  private final PgConnectOptions notifications;
  private final Map<String, JobExecutor> executors = new LinkedHashMap<>();
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean claiming = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private volatile Phase phase = Phase.IDLE;
  private PgSubscriber subscriber;
  private final List<Long> timers = new ArrayList<>();
  private final List<Promise<Void>> idleWaiters = new CopyOnWriteArrayList<>();

  /**
   * A runner for {@link #runQueuedNow}; deployed, it wakes on NOTIFY from {@code notifications}
   * (with polling as the fallback).
   */
  public JobRunner(
      Vertx vertx,
      JobQueue queue,
      Settings settings,
      List<JobExecutor> all,
      PgConnectOptions notifications) {
    // Set before deployment too: a oneshot run uses the runner without deploying it.
    this.vertx = vertx;
    this.queue = queue;
    this.settings = settings;
    this.notifications = notifications;
    all.stream().filter(JobExecutor::enabled).forEach(e -> executors.put(e.kind(), e));
  }

  /** A runner that is never deployed: it runs what is queued when asked. */
  public JobRunner(Vertx vertx, JobQueue queue, Settings settings, List<JobExecutor> all) {
    this(vertx, queue, settings, all, null);
  }

  public Phase phase() {
    return phase;
  }

  /** Listens for submissions, then polls, heartbeats and reaps on timers. */
  @Override
  public Future<?> start() {
    if (notifications == null) {
      return Future.failedFuture(
          new IllegalStateException("a runner deployed to listen needs a database to listen to"));
    }
    subscriber = PgSubscriber.subscriber(vertx, notifications).reconnectPolicy(n -> 500L);
    subscriber.channel(JobQueue.CHANNEL).handler(payload -> wake());
    return subscriber.connect().onSuccess(v -> listen());
  }

  private void listen() {
    phase = Phase.LISTENING;
    timers.add(vertx.setPeriodic(settings.pollMillis(), id -> wake()));
    long beat = Math.max(200L, settings.leaseSeconds() * 1000L / 3);
    timers.add(vertx.setPeriodic(beat, id -> heartbeat()));
    timers.add(vertx.setPeriodic(beat, id -> queue.reap()));
    wake();
  }

  /** Stops claiming; jobs already running finish and complete ({@link #idle} waits for them). */
  @Override
  public Future<?> stop() {
    phase = Phase.STOPPED;
    timers.forEach(vertx::cancelTimer);
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }

  /** Oneshot mode: claims and runs batches until none is queued, and returns how many jobs ran. */
  public Future<Integer> runQueuedNow() {
    Promise<Integer> done = Promise.promise();
    drain(0, done);
    return done.future();
  }

  public int running() {
    return inFlight.get();
  }

  /** Resolves when no job is in flight, or after {@code grace}, whichever comes first. */
  public Future<Void> idle(Vertx vertx, Duration grace) {
    Promise<Void> done = Promise.promise();
    idleWaiters.add(done);
    if (inFlight.get() == 0) {
      done.tryComplete();
    }
    long timer = vertx.setTimer(Math.max(1, grace.toMillis()), id -> done.tryComplete());
    return done.future()
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              idleWaiters.remove(done);
            });
  }

  private void drain(int total, Promise<Integer> done) {
    Future<Integer> batch =
        executors.isEmpty()
            ? Future.succeededFuture(0)
            : claimAssigned(settings.capacity())
                .compose(
                    jobs -> {
                      inFlight.addAndGet(jobs.size());
                      return jobs.isEmpty()
                          ? Future.succeededFuture(0)
                          : runBatch(jobs).map(jobs.size());
                    });
    batch
        .onFailure(done::fail)
        .onSuccess(
            n -> {
              if (n == 0) {
                done.complete(total);
              } else {
                drain(total + n, done);
              }
            });
  }

  /**
   * Claims into the free slots; a wake-up while a claim is in flight triggers one more round
   * afterwards.
   */
  private void wake() {
    if (phase != Phase.LISTENING) {
      return;
    }
    if (!claiming.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    int free = settings.capacity() - inFlight.get();
    Future<Integer> claimed = free <= 0 ? Future.succeededFuture(0) : claimBatch(free);
    claimed.onComplete(
        ar -> {
          claiming.set(false);
          boolean full = ar.succeeded() && ar.result() == free && free > 0;
          if (again.getAndSet(false) || full) {
            wake();
          }
        });
  }

  /**
   * Claims up to {@code limit} jobs and starts them; resolves with the claimed count once they are
   * started.
   */
  private Future<Integer> claimBatch(int limit) {
    if (executors.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return claimAssigned(limit)
        .map(
            jobs -> {
              if (!jobs.isEmpty()) {
                inFlight.addAndGet(jobs.size());
                runBatch(jobs);
              }
              return jobs.size();
            });
  }

  /**
   * Claims up to {@code limit} jobs that each fit the free GPUs, gives each its devices, and hands
   * back at once (no attempt spent) those that no longer fit because an earlier job of the same
   * batch took the devices.
   */
  private Future<List<ClaimedJob>> claimAssigned(int limit) {
    GpuSlots gpus = settings.gpus();
    return queue
        .claim(
            settings.owner(), limit, gpus.freeVramGb(), executors.keySet(), settings.leaseSeconds())
        .compose(
            jobs -> {
              List<ClaimedJob> assigned = new ArrayList<>(jobs.size());
              List<Long> misfits = new ArrayList<>();
              for (ClaimedJob job : jobs) {
                gpus.take(job.gpus(), job.minVramGb())
                    .ifPresentOrElse(
                        d -> assigned.add(d.isEmpty() ? job : job.withDevices(d)),
                        () -> misfits.add(job.id()));
              }
              if (misfits.isEmpty()) {
                return Future.succeededFuture(assigned);
              }
              // A failed release leaves the lease to expire: the reaper re-queues the jobs (an
              // attempt spent).
              return queue.release(settings.owner(), misfits).otherwiseEmpty().map(n -> assigned);
            });
  }

  /** Runs a claimed batch and completes it in one round trip; resolves once completed. */
  private Future<Void> runBatch(List<ClaimedJob> jobs) {
    List<Future<JobQueue.Completion>> results = new ArrayList<>(jobs.size());
    for (ClaimedJob job : jobs) {
      running.add(job.id());
      Future<JobOutcome> outcome;
      try {
        outcome = executors.get(job.kind()).execute(job);
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      results.add(
          outcome
              .recover(e -> Future.succeededFuture(JobOutcome.failed("executor error: " + e)))
              .map(
                  o -> {
                    settings.gpus().give(job.devices());
                    return new JobQueue.Completion(job.id(), o);
                  }));
    }
    return Future.join(results)
        .transform(
            ar -> {
              List<JobQueue.Completion> done = new ArrayList<>(results.size());
              results.forEach(f -> done.add(f.result()));
              reportFailures(jobs, done);
              return queue
                  .complete(settings.owner(), done)
                  .transform(
                      c -> {
                        jobs.forEach(j -> running.remove(j.id()));
                        if (inFlight.addAndGet(-jobs.size()) == 0) {
                          idleWaiters.forEach(Promise::tryComplete);
                        }
                        wake();
                        return c.succeeded()
                            ? Future.<Void>succeededFuture()
                            : Future.<Void>failedFuture(c.cause());
                      });
            });
  }

  /**
   * Failed and timed-out jobs go to Sentry (when on) with the job's id, kind and outcome as tags.
   */
  private static void reportFailures(List<ClaimedJob> jobs, List<JobQueue.Completion> done) {
    for (int i = 0; i < done.size(); i++) {
      JobOutcome o = done.get(i).outcome();
      if (!"succeeded".equals(o.state()) && !"cancelled".equals(o.state())) {
        ClaimedJob job = jobs.get(i);
        ErrorReporting.failure(
            "job "
                + job.id()
                + " ("
                + job.kind()
                + ") "
                + o.state()
                + (o.error() == null ? "" : ": " + o.error()),
            Map.of(
                "job_id", Long.toString(job.id()), "job_kind", job.kind(), "job_state", o.state()));
      }
    }
  }

  private void heartbeat() {
    queue
        .heartbeat(settings.owner(), List.copyOf(running), settings.leaseSeconds())
        .onSuccess(cancel -> cancel.forEach(id -> executors.values().forEach(e -> e.cancel(id))));
  }
}
