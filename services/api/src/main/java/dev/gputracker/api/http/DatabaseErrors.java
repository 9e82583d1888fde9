package dev.gputracker.api.http;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * What a database error means for the request that met it. PostgreSQL says why through its
 * SQLSTATE; the client and the pool say it through the exception they raise when there is no server
 * to ask.
 *
 * <ul>
 *   <li>{@link Kind#UNAVAILABLE}: the database is away or overloaded, not the request's fault, and
 *       a retry soon can succeed: connection lost or refused, administrator or crash shutdown, a
 *       terminated backend, "the database system is starting up" or in recovery ({@code 57P03}),
 *       too many connections, a statement cancelled by its timeout, the pool's wait for a
 *       connection timed out, the pool closed because the API is stopping.
 *   <li>{@link Kind#INVALID_VALUE}: PostgreSQL refused a value the request carried (data
 *       exceptions, class 22, and program limits, class 54): the bounded parser should have stopped
 *       it, so it is logged, but it is the request's value, not the database or our code, that is
 *       wrong.
 *   <li>{@link Kind#OTHER}: anything else (a syntax error, a missing column, a read-only violation)
 *       is a bug.
 * </ul>
 */
public final class DatabaseErrors {
  /** How a failure is answered. */
  public enum Kind {
    UNAVAILABLE,
    INVALID_VALUE,
    OTHER
  }

  /**
   * SQLSTATE classes and codes that mean "not now": connection exceptions, shutdowns, resources,
   * cancellation.
   */
  private static final Set<String> UNAVAILABLE_CLASSES = Set.of("08", "53", "57");

  /**
   * Codes outside those classes that also mean "try again": serialization, deadlock, lock wait,
   * system and I/O.
   */
  private static final Set<String> UNAVAILABLE_CODES =
      Set.of("40001", "40P01", "55P03", "58000", "58030");

  private DatabaseErrors() {}

  public static Kind classify(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof DatabaseException db && db.getSqlState() != null) {
        return bySqlState(db.getSqlState());
      }
      if (isConnectionTrouble(t)) {
        return Kind.UNAVAILABLE;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Kind.OTHER;
  }

  static Kind bySqlState(String state) {
    if (state.length() != 5) {
      return Kind.OTHER;
    }
    String cls = state.substring(0, 2);
    if (UNAVAILABLE_CLASSES.contains(cls) || UNAVAILABLE_CODES.contains(state)) {
      return Kind.UNAVAILABLE;
    }
    if (cls.equals("22") || cls.equals("54")) {
      return Kind.INVALID_VALUE;
    }
    return Kind.OTHER;
  }

  /** The SQLSTATE of the first database error in the chain, or null. */
  public static String sqlState(Throwable err) {
    for (Throwable t = err; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof DatabaseException db) {
        return db.getSqlState();
      }
    }
    return null;
  }

  private static boolean isConnectionTrouble(Throwable t) {
    if (t instanceof ConnectException
        || t instanceof SocketException
        || t instanceof ClosedChannelException
        || t instanceof TimeoutException
        || t instanceof ClosedConnectionException
        || t instanceof ConnectionPoolTooBusyException
        || t instanceof ConnectTimeoutException) {
      return true;
    }
    String name = t.getClass().getName();
    String message = t.getMessage() == null ? "" : t.getMessage();
    // The pool and the socket layer say these with plain exceptions: a pool that is closing (the
    // API is stopping),
    // a wait for a connection that ran out, a connection reset or lost under a query.
    return name.startsWith("io.netty.channel.unix.Errors")
        || name.endsWith("NoStackTraceTimeoutException")
        || message.equals("Pool closed")
        || message.equals("Timeout")
        || message.startsWith("Timeout waiting for")
        || message.contains("connection has been closed")
        || message.contains("Connection reset")
        || message.contains("Connection refused")
        || message.equals("Connection was closed");
  }
}
