package dev.gputracker.worker.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.events.EventSql;
import dev.gputracker.shared.events.EventTypes;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One producer per event type: each type the system emits is defined once, as an {@link EventSql}
 * generated from its payload record, and no statement writes an outbox row by hand.
 */
class EventProducersTest {
  /** The classes that hold the event definitions: the worker's SQL indexes and the trigger's. */
  private static final List<String> DEFINERS =
      List.of(
          "dev.gputracker.worker.persist.WorkerSql",
          "dev.gputracker.worker.jobs.queue.JobSql",
          "dev.gputracker.shared.db.JobEventsToOutbox");

  /** An outbox insert (not of outbox_cursors) or a JSON object built in SQL. */
  private static final Pattern HAND_WRITTEN =
      Pattern.compile("insert\\s+into\\s+outbox\\s*\\(|jsonb_build_object\\s*\\(");

  @Test
  @DisplayName("every event type is defined exactly once, from its record")
  void oneDefinitionPerType() throws Exception {
    List<String> defined = new ArrayList<>();
    for (String name : DEFINERS) {
      for (Field f : Class.forName(name).getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == EventSql.class) {
          f.setAccessible(true);
          defined.add(((EventSql) f.get(null)).type());
        }
      }
    }
    assertThat(defined).containsExactlyInAnyOrderElementsOf(EventTypes.ALL);
  }

  @Test
  @DisplayName(
      "no statement of the worker or of shared (past migrations aside) writes an outbox row or a payload by hand")
  void noHandWrittenProducer() throws IOException {
    List<Path> offenders = new ArrayList<>();
    for (Path root :
        List.of(
            Path.of("src/main"),
            Path.of("../shared/src/main/java"),
            Path.of("../shared/src/main/resources/dev"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String name = file.getFileName().toString();
          if (!name.endsWith(".sql") && !name.endsWith(".java")) {
            continue;
          }
          String text = Files.readString(file).toLowerCase(Locale.ROOT);
          if (file.endsWith("EventSql.java")) {
            continue; // the generator itself
          }
          if (HAND_WRITTEN.matcher(text).find()) {
            offenders.add(file);
          }
        }
      }
    }
    assertThat(offenders).isEmpty();
  }
}
