package dev.gputracker.worker.jobs.queue;

import dev.gputracker.shared.jobs.JobVocabulary;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** A job as submitted; {@link #validate()} rejects what the schema or the executors cannot run. */
public record JobSpec(
    String kind,
    String image,
    List<String> command,
    JsonObject env,
    int gpus,
    Double minVramGb,
    int timeoutSeconds,
    int priority,
    int maxAttempts,
    String idempotencyKey,
    JobLimits limits) {

  /** A job with the default limits (no network, the worker's memory and CPU limits). */
  public JobSpec(
      String kind,
      String image,
      List<String> command,
      JsonObject env,
      int gpus,
      Double minVramGb,
      int timeoutSeconds,
      int priority,
      int maxAttempts,
      String idempotencyKey) {
    this(
        kind,
        image,
        command,
        env,
        gpus,
        minVramGb,
        timeoutSeconds,
        priority,
        maxAttempts,
        idempotencyKey,
        JobLimits.DEFAULT);
  }

  public static final Set<String> KINDS = JobVocabulary.KINDS;

  public static JobSpec noop() {
    return new JobSpec("noop", null, List.of(), new JsonObject(), 0, null, 60, 0, 3, null);
  }

  public static JobSpec command(List<String> argv, int timeoutSeconds) {
    return new JobSpec(
        "command", null, argv, new JsonObject(), 0, null, timeoutSeconds, 0, 3, null);
  }

  public static JobSpec container(String image, List<String> argv, int timeoutSeconds) {
    return new JobSpec(
        "container", image, argv, new JsonObject(), 0, null, timeoutSeconds, 0, 3, null);
  }

  public JobSpec withKey(String key) {
    return new JobSpec(
        kind,
        image,
        command,
        env,
        gpus,
        minVramGb,
        timeoutSeconds,
        priority,
        maxAttempts,
        key,
        limits);
  }

  public JobSpec withMaxAttempts(int attempts) {
    return new JobSpec(
        kind,
        image,
        command,
        env,
        gpus,
        minVramGb,
        timeoutSeconds,
        priority,
        attempts,
        idempotencyKey,
        limits);
  }

  public JobSpec withGpus(int count, Double vram) {
    return new JobSpec(
        kind,
        image,
        command,
        env,
        count,
        vram,
        timeoutSeconds,
        priority,
        maxAttempts,
        idempotencyKey,
        limits);
  }

  public JobSpec withLimits(JobLimits replaced) {
    return new JobSpec(
        kind,
        image,
        command,
        env,
        gpus,
        minVramGb,
        timeoutSeconds,
        priority,
        maxAttempts,
        idempotencyKey,
        replaced);
  }

  /**
   * @throws IllegalArgumentException naming the first invalid field
   */
  public JobSpec validate() {
    if (kind == null || !KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind must be one of " + KINDS + ", got " + kind);
    }
    if (command == null) {
      throw new IllegalArgumentException("command must not be null");
    }
    if ("command".equals(kind) && command.isEmpty()) {
      throw new IllegalArgumentException("a command job needs an argv after --");
    }
    if ("container".equals(kind) && (image == null || image.isBlank())) {
      throw new IllegalArgumentException("a container job needs an image");
    }
    if (gpus < 0 || gpus > 64) {
      throw new IllegalArgumentException("gpus must be 0..64, got " + gpus);
    }
    if (minVramGb != null && (minVramGb < 0 || minVramGb.isNaN())) {
      throw new IllegalArgumentException("min VRAM must be >= 0 GB, got " + minVramGb);
    }
    if (minVramGb != null && gpus == 0) {
      throw new IllegalArgumentException("min VRAM is per GPU: it needs gpus >= 1");
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits must not be null");
    }
    limits.validate();
    if (timeoutSeconds < 1 || timeoutSeconds > 7 * 24 * 3600) {
      throw new IllegalArgumentException("timeout must be 1..604800 s, got " + timeoutSeconds);
    }
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("max attempts must be 1..100, got " + maxAttempts);
    }
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
      throw new IllegalArgumentException("idempotency key must be 1..200 characters");
    }
    return this;
  }
}
