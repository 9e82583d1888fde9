package dev.gputracker.shared.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The job vocabulary is the schema's: a kind or state added to one and not the other fails. */
class JobVocabularyTest {
  private static final Pattern QUOTED = Pattern.compile("'([a-z_-]+)'");

  @Test
  @DisplayName(
      "JobVocabulary's kinds and states are exactly those the jobs table's CHECK constraints allow")
  void matchesTheSchema() throws Exception {
    DatabaseUrl db = TestDatabases.fresh();
    assertThat(allowed(db, "kind")).isEqualTo(new TreeSet<>(JobVocabulary.KINDS));
    assertThat(allowed(db, "state")).isEqualTo(new TreeSet<>(JobVocabulary.STATES));
  }

  /** The quoted values of the jobs table's CHECK constraint on {@code column} IN (...). */
  private static Set<String> allowed(DatabaseUrl db, String column) throws Exception {
    Set<String> values = new TreeSet<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                    + " WHERE conrelid = 'jobs'::regclass AND contype = 'c'")) {
      while (rs.next()) {
        String def = rs.getString(1);
        if (def.contains("(" + column + " = ANY") || def.contains("(" + column + " IN")) {
          Matcher m = QUOTED.matcher(def);
          while (m.find()) {
            values.add(m.group(1));
          }
        }
      }
    }
    return values;
  }
}
