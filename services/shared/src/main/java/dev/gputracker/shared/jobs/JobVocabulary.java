package dev.gputracker.shared.jobs;

import java.util.List;
import java.util.Set;

/**
 * The job kinds and states the {@code jobs} table allows (its CHECK constraints, V3), named once
 * for the API's filters, the worker's validation and its metrics. {@code JobVocabularyTest} holds
 * them to the schema.
 */
public final class JobVocabulary {
  /** What a job runs as. */
  public static final Set<String> KINDS = Set.of("container", "command", "gpu-benchmark", "noop");

  /** A job's states, in the order a job goes through them. */
  public static final List<String> STATES =
      List.of("queued", "running", "succeeded", "failed", "timed_out", "cancelled", "dead");

  private JobVocabulary() {}
}
