package dev.gputracker.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How each failure is answered. The database errors are the pg client's own exception with the
 * SQLSTATEs PostgreSQL sends (DatabaseFaultsTest produces the real ones under load; the 57P03
 * window is too short to hit every time).
 */
class FailuresTest {

  private static Failures.Outcome pg(String state) {
    return Failures.classify(new PgException("message", "FATAL", state, null), -1);
  }

  @Test
  @DisplayName(
      "a database that is away is a 503: lost connection, shutdown, terminated backend, starting up, full")
  void unavailable() {
    for (String state :
        new String[] {"57P01", "57P02", "57P03", "08006", "08001", "53300", "57014", "40001"}) {
      Failures.Outcome o = pg(state);
      assertThat(o.problem().status()).as(state).isEqualTo(503);
      assertThat(o.kind()).as(state).isEqualTo(Failures.Kind.UNAVAILABLE);
    }
    assertThat(pg("57P03").problem().getMessage()).contains("starting up");
    for (Throwable t :
        new Throwable[] {
          new ConnectException("Connection refused"),
          ClosedConnectionException.INSTANCE,
          new VertxException("Pool closed", true),
          new VertxException("Timeout waiting for connection", true),
          new RuntimeException("wrapped", new ConnectException("refused"))
        }) {
      assertThat(Failures.classify(t, -1).problem().status()).as(t.toString()).isEqualTo(503);
    }
    assertThat(
            Failures.classify(new VertxException("Pool closed", true), -1).problem().getMessage())
        .contains("shutting down");
  }

  @Test
  @DisplayName(
      "a value PostgreSQL refuses is the request's fault (400); anything else from it is a bug (500)")
  void valuesAndBugs() {
    assertThat(pg("22003").problem().status()).isEqualTo(400);
    assertThat(pg("22008").kind()).isEqualTo(Failures.Kind.CLIENT);
    assertThat(pg("54001").problem().status()).isEqualTo(400);
    assertThat(pg("42703").problem().status()).isEqualTo(500);
    assertThat(pg("25006").kind()).isEqualTo(Failures.Kind.BUG);
    assertThat(Failures.classify(new IllegalStateException("oops"), -1).kind())
        .isEqualTo(Failures.Kind.BUG);
    assertThat(Failures.classify(new NullPointerException(), -1).problem().status()).isEqualTo(500);
  }

  @Test
  @DisplayName(
      "statuses from Vert.x keep their code: 4xx as the client's fault, a timeout's 503 as unavailable")
  void statuses() {
    assertThat(
            Failures.classify(new HttpException(400, "Error while decoding query params"), -1)
                .problem()
                .status())
        .isEqualTo(400);
    assertThat(Failures.classify(null, 413).problem().status()).isEqualTo(413);
    assertThat(Failures.classify(null, 503).kind()).isEqualTo(Failures.Kind.UNAVAILABLE);
    assertThat(Failures.classify(null, 406).problem().status()).isEqualTo(406);
    assertThat(Failures.classify(null, -1).problem().status()).isEqualTo(500);
    assertThat(
            Failures.classify(
                    new IllegalArgumentException(
                        "URLDecoder: Illegal hex characters in escape (%)"),
                    -1)
                .problem()
                .status())
        .isEqualTo(400);
  }
}
