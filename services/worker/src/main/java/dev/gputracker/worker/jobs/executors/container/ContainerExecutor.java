package dev.gputracker.worker.jobs.executors.container;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import dev.gputracker.shared.text.FirstLine;
import dev.gputracker.worker.jobs.executors.JobExecutor;
import dev.gputracker.worker.jobs.executors.JobThreads;
import dev.gputracker.worker.jobs.executors.LogTail;
import dev.gputracker.worker.jobs.queue.ClaimedJob;
import dev.gputracker.worker.jobs.queue.JobOutcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code container} jobs on a Docker-compatible engine through docker-java: creates the
 * container with the job's limits, GPUs and labels ({@link ContainerRequest}), starts it, streams
 * its output into a bounded tail, waits up to the job's timeout (then kills it), and always removes
 * it. At {@link #start} it removes the containers this worker left behind: those labelled with its
 * id (it starts owning nothing) and those whose job no longer holds a live lease.
 *
 * <p>Every docker-java call blocks, so each job runs on a {@link JobThreads} thread, never on an
 * event loop. When no engine answers at {@code DOCKER_HOST}, {@link #enabled()} is false and the
 * runner never claims container jobs.
 */
public final class ContainerExecutor implements JobExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerExecutor.class);
  private static final int EXIT_SIGKILL = 137;

  private final Vertx vertx;
  private final ContainerSettings settings;
  private final String workerId;
  private final WorkerExecutor threads;
  private final Map<Long, String> running = new ConcurrentHashMap<>();
  private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
  private volatile DockerEngine engine;
  private volatile String unavailable = "not started";

  public ContainerExecutor(Vertx vertx, ContainerSettings settings, String workerId) {
    this.vertx = vertx;
    this.settings = settings;
    this.workerId = workerId;
    this.threads = JobThreads.open(vertx);
  }

  @Override
  public String kind() {
    return "container";
  }

  @Override
  public boolean enabled() {
    return engine != null;
  }

  /** Why container jobs are off ("" when on). */
  public String unavailableReason() {
    return engine != null ? "" : unavailable;
  }

  /**
   * Connects to the engine and removes this worker's orphans. {@code liveLeases} says which of the
   * given job ids still run under a live lease (their containers belong to a worker that is alive).
   * Never fails: without an engine the executor stays disabled with the reason logged.
   */
  public Future<Void> start(Function<List<Long>, Future<Set<Long>>> liveLeases) {
    if (!settings.enabled()) {
      unavailable = "CONTAINER_JOBS=false";
      return Future.succeededFuture();
    }
    Optional<String> missing = settings.missingSocket();
    if (missing.isPresent()) {
      // Nothing listens there: asking would only log the HTTP client's retries. The job service's
      // start-up line
      // carries the reason, so a worker without an engine logs one INFO line about it, not a
      // warning.
      unavailable = missing.get();
      return Future.succeededFuture();
    }
    return threads
        .executeBlocking(() -> DockerEngine.connect(settings.dockerHost()), false)
        .compose(
            e ->
                threads
                    .executeBlocking(() -> labelled(e), false)
                    .compose(
                        found -> {
                          List<Long> jobIds =
                              found.stream()
                                  .map(c -> jobId(c))
                                  .filter(id -> id >= 0)
                                  .distinct()
                                  .toList();
                          return (jobIds.isEmpty()
                                  ? Future.succeededFuture(Set.<Long>of())
                                  : liveLeases.apply(jobIds))
                              .compose(
                                  live ->
                                      threads.executeBlocking(
                                          () -> removeOrphans(e, found, live), false));
                        })
                    .map(
                        removed -> {
                          engine = e;
                          LOG.info(
                              "Container jobs on: {} {} at {}; {} orphaned container(s) removed",
                              e.name(),
                              e.version(),
                              settings.dockerHost(),
                              removed);
                          return (Void) null;
                        }))
        .recover(
            err -> {
              unavailable =
                  "no container engine at " + settings.dockerHost() + ": " + FirstLine.of(err);
              LOG.warn("Container jobs off: {}", unavailable);
              return Future.succeededFuture();
            });
  }

  @Override
  public Future<JobOutcome> execute(ClaimedJob job) {
    DockerEngine e = engine;
    if (e == null) {
      return Future.succeededFuture(
          JobOutcome.failed("container jobs are off on this worker: " + unavailable));
    }
    return threads.executeBlocking(() -> run(e, job), false);
  }

  @Override
  public void cancel(long jobId) {
    cancelled.add(jobId);
    String id = running.get(jobId);
    DockerEngine e = engine;
    if (id != null && e != null) {
      threads.executeBlocking(() -> kill(e, id), false);
    }
  }

  /**
   * Closes the engine connection; containers still running are killed and removed by their own
   * threads.
   */
  public Future<Void> close() {
    DockerEngine e = engine;
    engine = null;
    return threads
        .close()
        .andThen(
            ar -> {
              if (e != null) {
                e.close();
              }
            });
  }

  private JobOutcome run(DockerEngine e, ClaimedJob job) throws InterruptedException {
    String id;
    try {
      id = create(e, job);
    } catch (ImageUnavailable problem) {
      return JobOutcome.failed(problem.getMessage());
    } catch (RuntimeException problem) {
      return JobOutcome.failed("cannot create the container: " + FirstLine.of(problem));
    }
    running.put(job.id(), id);
    LogTail tail = new LogTail(settings.tailChars());
    try {
      if (cancelled.remove(job.id())) {
        return new JobOutcome("cancelled", null, "", null, "cancelled by request");
      }
      e.client().startContainerCmd(id).exec();
      ResultCallback.Adapter<Frame> logs =
          e.client()
              .logContainerCmd(id)
              .withStdOut(true)
              .withStdErr(true)
              .withFollowStream(true)
              .exec(
                  new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                      tail.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                  });
      WaitContainerResultCallback wait =
          e.client().waitContainerCmd(id).exec(new WaitContainerResultCallback());
      boolean exited = wait.awaitCompletion(job.timeoutSeconds(), TimeUnit.SECONDS);
      if (!exited) {
        kill(e, id);
      }
      Integer code = exitCode(wait);
      // The log stream ends when the container does; what it has not delivered by then is not
      // waited for long.
      logs.awaitCompletion(5, TimeUnit.SECONDS);
      closeQuietly(logs);
      closeQuietly(wait);
      JsonObject result =
          new JsonObject()
              .put("exit_code", code)
              .put("container", id.substring(0, 12))
              .put("image", job.image())
              .put("engine", e.name() + " " + e.version())
              .put(
                  "gpus",
                  new JsonArray(
                      new ArrayList<>(ContainerRequest.deviceIds(job.devices(), e.podman()))));
      if (cancelled.remove(job.id())) {
        return new JobOutcome("cancelled", code, tail.text(), result, "cancelled by request");
      }
      if (!exited) {
        return new JobOutcome(
            "timed_out",
            code,
            tail.text(),
            result,
            "timed out after " + job.timeoutSeconds() + " s; the container was killed");
      }
      if (code != null && code == 0) {
        return new JobOutcome("succeeded", 0, tail.text(), result, null);
      }
      return new JobOutcome("failed", code, tail.text(), result, failure(e, id, job, code));
    } finally {
      running.remove(job.id());
      remove(e, id);
    }
  }

  /**
   * Creates the container, pulling the image first when the engine lacks it and the policy allows.
   */
  private String create(DockerEngine e, ClaimedJob job) throws InterruptedException {
    try {
      return createCmd(e, job).exec().getId();
    } catch (NotFoundException missing) {
      if (settings.pull() == ContainerSettings.PullPolicy.NEVER) {
        throw new ImageUnavailable(
            "image " + job.image() + " is not on this engine and CONTAINER_PULL=never");
      }
      try {
        if (!e.client()
            .pullImageCmd(job.image())
            .exec(new PullImageResultCallback())
            .awaitCompletion(Math.min(job.timeoutSeconds(), 900), TimeUnit.SECONDS)) {
          throw new ImageUnavailable("pulling image " + job.image() + " did not finish in time");
        }
      } catch (RuntimeException pull) {
        throw new ImageUnavailable("cannot pull image " + job.image() + ": " + FirstLine.of(pull));
      }
      return createCmd(e, job).exec().getId();
    }
  }

  private CreateContainerCmd createCmd(DockerEngine e, ClaimedJob job) {
    CreateContainerCmd cmd =
        e.client()
            .createContainerCmd(job.image())
            .withName(
                "gpu-tracker-job-" + job.id() + "-" + UUID.randomUUID().toString().substring(0, 8))
            .withLabels(ContainerRequest.labels(job, workerId))
            .withEnv(ContainerRequest.env(job))
            .withHostConfig(ContainerRequest.hostConfig(job, settings, e.podman()));
    if (!job.command().isEmpty()) {
      cmd.withCmd(job.command());
    }
    return cmd;
  }

  /** Why a container ended badly: its exit code, and whether the memory limit killed it. */
  private String failure(DockerEngine e, String id, ClaimedJob job, Integer code) {
    if (code == null) {
      return "the engine did not report an exit code";
    }
    if (code != EXIT_SIGKILL) {
      return "exit code " + code;
    }
    long limit = job.limits().memoryMb() != null ? job.limits().memoryMb() : settings.memoryMb();
    Boolean oom = null;
    try {
      InspectContainerResponse.ContainerState state =
          e.client().inspectContainerCmd(id).exec().getState();
      oom = state.getOOMKilled();
    } catch (RuntimeException ignored) {
      // Already gone: say what is known.
    }
    return Boolean.TRUE.equals(oom)
        ? "killed: out of memory (limit " + limit + " MiB)"
        : "killed by SIGKILL (exit 137), most often the memory limit of " + limit + " MiB";
  }

  private static Integer exitCode(WaitContainerResultCallback wait) {
    try {
      return wait.awaitStatusCode(10, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private Void kill(DockerEngine e, String id) {
    try {
      e.client().killContainerCmd(id).exec();
    } catch (RuntimeException alreadyStopped) {
      // It ended between the decision and the kill.
    }
    return null;
  }

  private static void remove(DockerEngine e, String id) {
    try {
      e.client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException gone) {
      // Removed already (by a cancel racing the end, or by hand).
    } catch (RuntimeException problem) {
      LOG.warn(
          "Could not remove container {}: {}; it is removed at the next start-up",
          id,
          FirstLine.of(problem));
    }
  }

  private static List<Container> labelled(DockerEngine e) {
    return e.client()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(List.of(ContainerRequest.LABEL_JOB))
        .exec();
  }

  /**
   * Removes this worker's leftovers and containers whose job holds no live lease; returns how many.
   */
  private int removeOrphans(DockerEngine e, List<Container> found, Set<Long> live) {
    int removed = 0;
    for (Container c : found) {
      Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
      boolean mine = workerId.equals(labels.get(ContainerRequest.LABEL_WORKER));
      if (mine || !live.contains(jobId(c))) {
        remove(e, c.getId());
        removed++;
      }
    }
    return removed;
  }

  private static long jobId(Container c) {
    try {
      return Long.parseLong(c.getLabels().get(ContainerRequest.LABEL_JOB));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // A finished stream.
    }
  }

  /** The image is not there and cannot be pulled. */
  private static final class ImageUnavailable extends RuntimeException {
    ImageUnavailable(String message) {
      super(message);
    }
  }
}
