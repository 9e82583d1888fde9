package dev.gputracker.worker.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The record a running {@code local} keeps in its data directory ({@value #FILE_NAME}): its process
 * id, its database's URL and its API's address. A second terminal's {@code local --oneshot} reads
 * it to scrape into the same database, and a second plain {@code local} to say that one already
 * runs instead of failing on PostgreSQL's lock. A record whose process is gone (a killed {@code
 * local}) counts as absent.
 *
 * @param pid the {@code local} process
 * @param databaseUrl its embedded PostgreSQL's URL (local only: the embedded server's fixed local
 *     password)
 * @param apiUrl where its API answers; empty while it has none
 */
public record LocalStack(long pid, String databaseUrl, String apiUrl) {
  static final String FILE_NAME = "gpu-tracker-local.json";

  /** The stack recorded in {@code dataDir} whose process still lives. */
  public static Optional<LocalStack> find(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonObject json = new JsonObject(Files.readString(file));
      LocalStack stack =
          new LocalStack(
              json.getLong("pid"), json.getString("database_url"), json.getString("api_url", ""));
      boolean alive = ProcessHandle.of(stack.pid()).map(ProcessHandle::isAlive).orElse(false);
      return alive && stack.databaseUrl() != null ? Optional.of(stack) : Optional.empty();
    } catch (IOException | DecodeException | ClassCastException | NullPointerException unreadable) {
      return Optional.empty(); // a half-written or foreign file: no stack we can use
    }
  }

  /** Records this stack in {@code dataDir}, replacing any earlier record. */
  public void write(Path dataDir) throws IOException {
    Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
    Files.writeString(
        tmp,
        new JsonObject()
            .put("pid", pid)
            .put("database_url", databaseUrl)
            .put("api_url", apiUrl)
            .encodePrettily());
    Files.move(
        tmp,
        dataDir.resolve(FILE_NAME),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the record; nothing when there is none. */
  public static void remove(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(FILE_NAME));
    } catch (IOException ignored) {
      // a record left behind names a dead process, which find() treats as absent
    }
  }
}
