package dev.gputracker.shared.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.db.Database;
import dev.gputracker.shared.testing.SqlFiles;
import dev.gputracker.shared.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The job reads the API and the operator's command share, over a real PostgreSQL. */
class JobReadsTest {
  private static Vertx vertx;
  private static Pool pool;
  private static long id;

  @BeforeAll
  static void seed() {
    DatabaseUrl url = TestDatabases.fresh();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, url, "job-reads-test", 2);
    id =
        pool.query(
                "INSERT INTO jobs (kind, env, state, log_tail, created_at) VALUES ('noop',"
                    + " '{\"TOKEN\": \"s3cret\", \"A\": \"1\"}', 'queued', repeat('x', 100) || 'END',"
                    + " '2026-12-07 23:47:28.5+00') RETURNING id")
            .execute()
            .await()
            .iterator()
            .next()
            .getLong("id");
    pool.query(
            "INSERT INTO job_events (job_id, from_state, to_state, detail) SELECT "
                + id
                + ", NULL, 'queued', 'e' || n FROM generate_series(1, 3) n")
        .execute()
        .await();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("every read opens with a header that names each $n parameter it uses")
  void documented() throws Exception {
    assertThat(SqlFiles.assertDocumented(JobReads.class)).isEqualTo(3);
  }

  @Test
  @DisplayName(
      "a job shows its environment's names, never their values, and the log's tail as asked")
  void oneJob() {
    Row row = pool.preparedQuery(JobReads.JOB).execute(Tuple.of(id, 3)).await().iterator().next();
    JsonObject job = JobJson.job(row);
    assertThat(job.getJsonArray("env_keys").getList()).containsExactly("A", "TOKEN");
    assertThat(job.encode()).doesNotContain("s3cret");
    assertThat(job.getString("log_tail")).isEqualTo("END");
    assertThat(job.getBoolean("log_truncated")).isTrue();
    assertThat(job.getString("created_at")).isEqualTo("2026-12-07T23:47:28.5Z");
    assertThat(job.getValue("started_at")).isNull();

    Row whole =
        pool.preparedQuery(JobReads.JOB).execute(Tuple.of(id, 1_000)).await().iterator().next();
    assertThat(JobJson.job(whole).getString("log_tail")).hasSize(103);
    assertThat(JobJson.job(whole).getBoolean("log_truncated")).isFalse();
  }

  @Test
  @DisplayName("the history is cut at the caller's most, and says so")
  void history() {
    JsonObject cut =
        JobJson.withHistory(
            new JsonObject(),
            pool.preparedQuery(JobReads.JOB_EVENTS).execute(Tuple.of(id, 3)).await(),
            2);
    assertThat(cut.getJsonArray("history"))
        .extracting(e -> ((JsonObject) e).getString("detail"))
        .containsExactly("e1", "e2");
    assertThat(cut.getBoolean("history_truncated")).isTrue();
    JsonObject whole =
        JobJson.withHistory(
            new JsonObject(),
            pool.preparedQuery(JobReads.JOB_EVENTS).execute(Tuple.of(id, 4)).await(),
            3);
    assertThat(whole.getJsonArray("history")).hasSize(3);
    assertThat(whole.getBoolean("history_truncated")).isFalse();
    assertThat(whole.getJsonArray("history").getJsonObject(0).getString("at")).endsWith("Z");
  }

  @Test
  @DisplayName("the list pages below a cursor, newest first")
  void list() {
    List<Long> ids =
        pool
            .preparedQuery(JobReads.JOBS)
            .execute(Tuple.of(Long.MAX_VALUE, "queued", "noop", 10))
            .await()
            .stream()
            .map(r -> JobJson.summary(r).getLong("id"))
            .toList();
    assertThat(ids).containsExactly(id);
    assertThat(pool.preparedQuery(JobReads.JOBS).execute(Tuple.of(id, null, null, 10)).await())
        .isEmpty();
  }
}
