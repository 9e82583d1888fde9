package dev.gputracker.worker.persist;

import dev.gputracker.worker.config.SourceConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Keeps the {@code sources} table in step with the sources file. */
public final class SourceStore {
  private final Pool pool;

  public SourceStore(Pool pool) {
    this.pool = pool;
  }

  /** Registers or updates every configured source; returns each source's id by name. */
  public Future<Map<String, Integer>> sync(List<SourceConfig> sources) {
    if (sources.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    int n = sources.size();
    String[] names = new String[n];
    String[] adapters = new String[n];
    String[] urls = new String[n];
    Boolean[] enabled = new Boolean[n];
    for (int i = 0; i < n; i++) {
      SourceConfig s = sources.get(i);
      names[i] = s.name();
      adapters[i] = s.adapter();
      urls[i] = s.baseUrl().toString();
      enabled[i] = s.enabled();
    }
    Tuple params =
        Tuple.tuple()
            .addArrayOfString(names)
            .addArrayOfString(adapters)
            .addArrayOfString(urls)
            .addArrayOfBoolean(enabled);
    return pool.preparedQuery(WorkerSql.SYNC_SOURCES)
        .execute(params)
        .map(
            rows -> {
              Map<String, Integer> ids = new HashMap<>();
              for (Row row : rows) {
                ids.put(row.getString("name"), row.getInteger("id"));
              }
              return ids;
            });
  }
}
