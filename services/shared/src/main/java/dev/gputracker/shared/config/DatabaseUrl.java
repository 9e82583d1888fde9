package dev.gputracker.shared.config;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL URL as PaaS platforms inject it: {@code
 * postgres://user:pass@host:5432/db?sslmode=require}, also the {@code postgresql://} spelling. The
 * same value configures the reactive pool (API, worker) and JDBC (Flyway).
 *
 * <p>{@code sslmode=require} means what it means for libpq: encrypt, but do not verify the
 * certificate. Managed databases such as Railway's serve a self-signed one, so verification would
 * always fail there. Use {@code verify-full} for verification.
 */
public final class DatabaseUrl {
  private final String variable;
  private final PgConnectOptions options;

  private DatabaseUrl(String variable, PgConnectOptions options) {
    this.variable = variable;
    this.options = options;
  }

  /**
   * {@code DATABASE_URL} from the environment: the one place it is read; a missing or malformed
   * value says so.
   */
  public static DatabaseUrl fromEnv(Env env) {
    return parse("DATABASE_URL", env.required("DATABASE_URL"));
  }

  /**
   * Parses {@code url}; {@code variable} names the environment variable it came from so errors can
   * say which.
   *
   * @throws ConfigException when the value is not a PostgreSQL URL
   */
  public static DatabaseUrl parse(String variable, String url) {
    if (url == null || url.isBlank()) {
      throw new ConfigException(variable + " is required but not set");
    }
    String value = url.trim();
    if (value.startsWith("jdbc:")) {
      value = value.substring("jdbc:".length());
    }
    if (!value.startsWith("postgres://") && !value.startsWith("postgresql://")) {
      throw new ConfigException(
          variable + " must be a postgres:// or postgresql:// URL, got '" + redact(value) + "'");
    }
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(value);
    } catch (RuntimeException e) {
      throw new ConfigException(
          variable
              + " is not a valid PostgreSQL URL ("
              + e.getMessage()
              + "): '"
              + redact(value)
              + "'",
          e);
    }
    if (options.getSslMode() == SslMode.REQUIRE
        || options.getSslMode() == SslMode.PREFER
        || options.getSslMode() == SslMode.ALLOW) {
      options.setSslOptions(new ClientSSLOptions().setTrustAll(true));
    } else if (options.getSslMode() == SslMode.VERIFY_FULL) {
      options.setSslOptions(new ClientSSLOptions().setHostnameVerificationAlgorithm("HTTPS"));
    } else if (options.getSslMode() == SslMode.VERIFY_CA) {
      options.setSslOptions(new ClientSSLOptions().setHostnameVerificationAlgorithm(""));
    }
    return new DatabaseUrl(variable, options);
  }

  /** A fresh copy of the reactive client's options; callers may tune it. */
  public PgConnectOptions connectOptions() {
    return new PgConnectOptions(options);
  }

  public String host() {
    return options.getHost();
  }

  public int port() {
    return options.getPort();
  }

  public String database() {
    return options.getDatabase();
  }

  public String user() {
    return options.getUser();
  }

  public String password() {
    return options.getPassword();
  }

  /** The name of the variable this URL was read from. */
  public String variable() {
    return variable;
  }

  /** A JDBC URL for the same database (credentials are passed apart, never in the URL). */
  public String jdbcUrl() {
    StringBuilder url =
        new StringBuilder("jdbc:postgresql://")
            .append(hostForUrl(options.getHost()))
            .append(':')
            .append(options.getPort())
            .append('/')
            .append(URLEncoder.encode(options.getDatabase(), StandardCharsets.UTF_8));
    url.append("?sslmode=").append(jdbcSslMode(options.getSslMode()));
    url.append("&ApplicationName=gpu-tracker-migrate");
    return url.toString();
  }

  /** The URL with its password hidden, for logs. */
  public String redacted() {
    return "postgres://"
        + options.getUser()
        + ":***@"
        + hostForUrl(options.getHost())
        + ':'
        + options.getPort()
        + '/'
        + options.getDatabase();
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static String jdbcSslMode(SslMode mode) {
    switch (mode) {
      case VERIFY_CA:
        return "verify-ca";
      case VERIFY_FULL:
        return "verify-full";
      case REQUIRE:
        return "require";
      case PREFER:
        return "prefer";
      case ALLOW:
        return "allow";
      default:
        return "disable";
    }
  }

  /** Hides a password in a URL we could not parse, so a typo never leaks a secret into the log. */
  static String redact(String url) {
    return url.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@");
  }
}
