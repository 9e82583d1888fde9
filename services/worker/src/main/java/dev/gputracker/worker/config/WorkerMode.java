package dev.gputracker.worker.config;

import java.util.Locale;

/**
 * How the worker runs: on a schedule until stopped, or one run and exit (for operators and cron).
 */
public enum WorkerMode {
  DAEMON,
  ONESHOT;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
