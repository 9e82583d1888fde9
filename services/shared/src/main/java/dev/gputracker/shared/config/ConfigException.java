package dev.gputracker.shared.config;

/**
 * A configuration value is missing or malformed. The message is one line that names the variable,
 * so an operator can fix it from the log alone; start-up code prints it and exits instead of
 * printing a stack trace.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
