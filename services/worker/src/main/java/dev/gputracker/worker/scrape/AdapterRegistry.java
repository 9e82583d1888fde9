package dev.gputracker.worker.scrape;

import dev.gputracker.shared.config.ConfigException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The adapters on the classpath, found through {@link ServiceLoader} and looked up by name. */
public final class AdapterRegistry {
  private final Map<String, SourceAdapter> byName;

  private AdapterRegistry(Map<String, SourceAdapter> byName) {
    this.byName = Map.copyOf(byName);
  }

  public static AdapterRegistry load() {
    Map<String, SourceAdapter> adapters = new TreeMap<>();
    for (SourceAdapter adapter :
        ServiceLoader.load(SourceAdapter.class, AdapterRegistry.class.getClassLoader())) {
      SourceAdapter previous = adapters.put(adapter.name(), adapter);
      if (previous != null) {
        throw new IllegalStateException(
            "two adapters are named "
                + adapter.name()
                + ": "
                + previous.getClass().getName()
                + " and "
                + adapter.getClass().getName());
      }
    }
    return new AdapterRegistry(adapters);
  }

  /**
   * The adapter called {@code name}.
   *
   * @throws ConfigException naming the known adapters when there is none by that name
   */
  public SourceAdapter get(String name) {
    SourceAdapter adapter = byName.get(name);
    if (adapter == null) {
      throw new ConfigException(
          "unknown adapter '" + name + "'; known adapters: " + String.join(", ", names()));
    }
    return adapter;
  }

  public Iterable<String> names() {
    return new TreeMap<>(byName).keySet();
  }
}
