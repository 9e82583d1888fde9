package dev.gputracker.shared.db;

import dev.gputracker.shared.catalog.GpuCatalog;
import dev.gputracker.shared.catalog.GpuModel;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Types;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A repeatable migration that upserts the catalog data file into {@code gpu_models}. Its checksum
 * is the file's, so Flyway applies it again whenever the curated data changes; models are never
 * deleted because listings point at them.
 */
public final class GpuCatalogSeed implements JavaMigration {
  private final GpuCatalog catalog;

  public GpuCatalogSeed(GpuCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public MigrationVersion getVersion() {
    return null; // repeatable
  }

  @Override
  public String getDescription() {
    return "seed gpu catalog";
  }

  @Override
  public Integer getChecksum() {
    return catalog.checksum();
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws Exception {
    Connection connection = context.getConnection();
    try (PreparedStatement upsert = connection.prepareStatement(DbSql.UPSERT_GPU_MODEL)) {
      for (GpuModel m : catalog.models()) {
        upsert.setString(1, m.slug());
        upsert.setString(2, m.vendor());
        upsert.setString(3, m.family());
        upsert.setString(4, m.name());
        upsert.setString(5, m.segment());
        upsert.setBigDecimal(6, m.vramGb());
        upsert.setString(7, m.memoryType());
        setDecimal(upsert, 8, m.memoryBandwidthGbs());
        setDecimal(upsert, 9, m.fp32Tflops());
        setDecimal(upsert, 10, m.fp16Tflops());
        setInt(upsert, 11, m.tdpW());
        setInt(upsert, 12, m.releaseYear());
        setDecimal(upsert, 13, m.perfIndex());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  private static void setDecimal(PreparedStatement st, int index, BigDecimal value)
      throws Exception {
    if (value == null) {
      st.setNull(index, Types.NUMERIC);
    } else {
      st.setBigDecimal(index, value);
    }
  }

  private static void setInt(PreparedStatement st, int index, Integer value) throws Exception {
    if (value == null) {
      st.setNull(index, Types.INTEGER);
    } else {
      st.setInt(index, value);
    }
  }
}
