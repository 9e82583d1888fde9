package dev.gputracker.worker.testing;

import dev.gputracker.shared.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDBC reads for test assertions: what is in the database, independent of the code under
 * test.
 */
public final class Sql {
  private Sql() {}

  public static long count(DatabaseUrl url, String sql, Object... params) {
    return ((Number) single(url, sql, params)).longValue();
  }

  public static Object single(DatabaseUrl url, String sql, Object... params) {
    List<Object> values = column(url, sql, params);
    if (values.size() != 1) {
      throw new AssertionError("expected one row from " + sql + ", got " + values.size());
    }
    return values.get(0);
  }

  public static List<Object> column(DatabaseUrl url, String sql, Object... params) {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        st.setObject(i + 1, params[i]);
      }
      List<Object> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getObject(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void execute(DatabaseUrl url, String sql) {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
      c.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
