package dev.gputracker.shared.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The listing search reads a model's measured FP32 TFLOPS from its catalog row (V14), which a
 * trigger keeps equal to the benchmark summary's through every change to the summary, and which
 * re-seeding the catalog leaves alone.
 */
class MeasuredTflopsFollowSummaryTest {

  @Test
  @DisplayName(
      "gpu_models.measured_fp32_tflops follows gpu_benchmark_summary: insert, update, null, delete, re-seed")
  void followsTheSummary() throws Exception {
    DatabaseUrl url = TestDatabases.fresh();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement()) {
      assertThat(measured(st, "h100-sxm")).isNull();
      st.execute(
          "INSERT INTO gpu_benchmark_summary (gpu_slug, benchmarks, fp32_benchmarks, fp32_tflops,"
              + " last_measured_at) VALUES ('h100-sxm', 1, 1, 53.5, now()), ('rtx-4090', 1, 0, NULL, now())");
      assertThat(measured(st, "h100-sxm")).isEqualTo("53.500");
      assertThat(measured(st, "rtx-4090")).isNull();

      st.execute("UPDATE gpu_benchmark_summary SET fp32_tflops = 55 WHERE gpu_slug = 'h100-sxm'");
      assertThat(measured(st, "h100-sxm")).isEqualTo("55.000");
      st.execute("UPDATE gpu_benchmark_summary SET fp32_tflops = NULL WHERE gpu_slug = 'h100-sxm'");
      assertThat(measured(st, "h100-sxm")).isNull();
      st.execute("UPDATE gpu_benchmark_summary SET fp32_tflops = 60 WHERE gpu_slug = 'h100-sxm'");

      // Seeding the catalog again (Flyway does when the catalog file changes) rewrites its own
      // columns only.
      CatalogReseed.run(c);
      assertThat(measured(st, "h100-sxm")).isEqualTo("60.000");

      st.execute("DELETE FROM gpu_benchmark_summary WHERE gpu_slug = 'h100-sxm'");
      assertThat(measured(st, "h100-sxm")).isNull();
    }
  }

  private static String measured(Statement st, String slug) throws Exception {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT measured_fp32_tflops::text FROM gpu_models WHERE slug = '" + slug + "'")) {
      assertThat(rs.next()).as(slug + " is in the catalog").isTrue();
      return rs.getString(1);
    }
  }
}
