package dev.gputracker.shared.observability;

import dev.gputracker.shared.config.Env;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.protocol.Message;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Error reporting to Sentry. {@code SENTRY_DSN} turns it on; without it every method is a silent
 * no-op. Events carry the service, release and environment, plus tags that say what failed (a
 * source, a job, a route).
 *
 * <p>Release and environment come from {@code SENTRY_RELEASE} / {@code SENTRY_ENVIRONMENT} when
 * set, else from what PaaS platforms inject ({@code RAILWAY_GIT_COMMIT_SHA}, {@code
 * RAILWAY_ENVIRONMENT_NAME}), else the jar's version and {@code production}.
 */
public final class ErrorReporting {
  private ErrorReporting() {}

  /** Starts Sentry for {@code service} when {@code SENTRY_DSN} is set; returns whether it did. */
  public static boolean init(Env env, String service) {
    Optional<String> dsn = env.optional("SENTRY_DSN");
    if (dsn.isEmpty()) {
      return false;
    }
    String version =
        Optional.ofNullable(ErrorReporting.class.getPackage().getImplementationVersion())
            .orElse("dev");
    String release =
        env.optional("SENTRY_RELEASE")
            .or(
                () ->
                    env.optional("RAILWAY_GIT_COMMIT_SHA")
                        .map(sha -> "gpu-tracker@" + version + "+" + sha))
            .orElse("gpu-tracker@" + version);
    String environment =
        env.optional("SENTRY_ENVIRONMENT")
            .or(() -> env.optional("RAILWAY_ENVIRONMENT_NAME"))
            .orElse("production");
    Sentry.init(
        options -> {
          options.setDsn(dsn.get());
          options.setRelease(release);
          options.setEnvironment(environment);
          options.setTag("service", service);
          options.setEnableUncaughtExceptionHandler(true);
          // Nothing personal leaves the process: the events carry titles and URLs of public
          // listings at most.
          options.setSendDefaultPii(false);
        });
    return true;
  }

  public static boolean enabled() {
    return Sentry.isEnabled();
  }

  /** Reports an unexpected error with tags saying where it happened. */
  public static void capture(Throwable error, Map<String, String> tags) {
    if (!Sentry.isEnabled()) {
      return;
    }
    Sentry.withScope(
        scope -> {
          tags.forEach(scope::setTag);
          Sentry.captureException(error);
        });
  }

  /**
   * Reports an expected-but-bad outcome (a failed source, a failed job) as an error event with
   * tags.
   */
  public static void failure(String text, Map<String, String> tags) {
    if (!Sentry.isEnabled()) {
      return;
    }
    SentryEvent event = new SentryEvent();
    Message message = new Message();
    message.setMessage(text);
    event.setMessage(message);
    event.setLevel(SentryLevel.ERROR);
    tags.forEach(event::setTag);
    Sentry.captureEvent(event);
  }

  /** Sends what is queued, waiting at most {@code timeout}; call before the process exits. */
  public static void flush(Duration timeout) {
    if (Sentry.isEnabled()) {
      Sentry.flush(timeout.toMillis());
    }
  }

  /** Stops reporting (tests, shutdown). */
  public static void close() {
    Sentry.close();
  }
}
