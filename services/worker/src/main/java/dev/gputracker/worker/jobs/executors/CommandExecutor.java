package dev.gputracker.worker.jobs.executors;

import dev.gputracker.worker.jobs.queue.ClaimedJob;
import dev.gputracker.worker.jobs.queue.JobOutcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a job's argv as a native process on a worker thread. Off unless ALLOW_NATIVE_JOBS=true,
 * because it runs arbitrary commands as the worker's user. A timeout or cancel kills the whole
 * process tree; stdout and stderr (merged) are kept as a bounded tail.
 */
public final class CommandExecutor implements JobExecutor {
  private final WorkerExecutor threads;
  private final boolean allowed;
  private final int tailChars;
  private final Map<Long, Process> running = new ConcurrentHashMap<>();
  private final Map<Long, Boolean> cancelled = new ConcurrentHashMap<>();

  public CommandExecutor(Vertx vertx, boolean allowNativeJobs, int tailChars) {
    this.threads = JobThreads.open(vertx);
    this.allowed = allowNativeJobs;
    this.tailChars = Math.min(tailChars, JobOutcome.MAX_LOG_TAIL);
  }

  @Override
  public String kind() {
    return "command";
  }

  @Override
  public boolean enabled() {
    return allowed;
  }

  @Override
  public Future<JobOutcome> execute(ClaimedJob job) {
    if (!allowed) {
      return Future.succeededFuture(
          JobOutcome.failed("native jobs are disabled (set ALLOW_NATIVE_JOBS=true)"));
    }
    return threads.executeBlocking(() -> run(job), false);
  }

  @Override
  public void cancel(long jobId) {
    cancelled.put(jobId, true);
    Process p = running.get(jobId);
    if (p != null) {
      killTree(p.toHandle());
    }
  }

  private JobOutcome run(ClaimedJob job) throws InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(job.command()).redirectErrorStream(true);
    if (job.env() != null) {
      job.env().forEach(e -> pb.environment().put(e.getKey(), String.valueOf(e.getValue())));
    }
    // The process sees only the GPUs the runner gave this job (none for a job that asked for none).
    pb.environment().put("CUDA_VISIBLE_DEVICES", devices(job));
    if (pciOrdinals(job)) {
      pb.environment().put("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return JobOutcome.failed("cannot start " + job.command().get(0) + ": " + e.getMessage());
    }
    running.put(job.id(), p);
    LogTail tail = new LogTail(tailChars);
    Thread reader = new Thread(() -> tail.drain(p.getInputStream()), "job-" + job.id() + "-output");
    reader.setDaemon(true);
    reader.start();
    try {
      boolean exited = p.waitFor(job.timeoutSeconds(), TimeUnit.SECONDS);
      if (!exited) {
        killTree(p.toHandle());
        p.waitFor(5, TimeUnit.SECONDS);
      }
      reader.join(2_000);
      if (cancelled.remove(job.id()) != null) {
        return new JobOutcome("cancelled", exitCode(p), tail.text(), null, "cancelled by request");
      }
      if (!exited) {
        return new JobOutcome(
            "timed_out",
            exitCode(p),
            tail.text(),
            null,
            "timed out after " + job.timeoutSeconds() + " s");
      }
      int code = p.exitValue();
      return new JobOutcome(
          code == 0 ? "succeeded" : "failed",
          code,
          tail.text(),
          new JsonObject().put("exit_code", code),
          code == 0 ? null : "exit code " + code);
    } finally {
      running.remove(job.id());
    }
  }

  /**
   * The job's devices as CUDA_VISIBLE_DEVICES lists them, "" for none. UUIDs when every device has
   * one: they name the card whatever order CUDA enumerates in (and an nvidia-smi index is PCI
   * order, not CUDA's). CUDA documents a list of indexes or of UUIDs, not a mix, so a single
   * unknown UUID falls back to the detected ordinals ("0,2").
   */
  static String devices(ClaimedJob job) {
    boolean uuids = job.devices().stream().allMatch(d -> d.uuid() != null);
    return String.join(
        ",",
        job.devices().stream().map(d -> uuids ? d.uuid() : String.valueOf(d.index())).toList());
  }

  /**
   * Whether {@link #devices} fell back to ordinals that nvidia-smi gave: those count in PCI bus
   * order, so the process must be told to count the same way ({@code CUDA_DEVICE_ORDER=PCI_BUS_ID};
   * CUDA's default is fastest first).
   */
  static boolean pciOrdinals(ClaimedJob job) {
    return !job.devices().isEmpty()
        && job.devices().stream().anyMatch(d -> d.uuid() == null)
        && job.devices().stream().allMatch(d -> "nvidia-smi".equals(d.source()));
  }

  private static Integer exitCode(Process p) {
    return p.isAlive() ? null : p.exitValue();
  }

  /**
   * Kills descendants first (collected before the parent dies, when they would be re-parented),
   * then the root.
   */
  static void killTree(ProcessHandle root) {
    var children = root.descendants().toList();
    children.forEach(ProcessHandle::destroyForcibly);
    root.destroyForcibly();
  }
}
