package dev.gputracker.worker.config;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.Env;
import dev.gputracker.shared.domain.Names;
import dev.gputracker.shared.text.FirstLine;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the sources file (JSON) and applies environment overrides per source: {@code
 * SOURCE_<NAME>_ENABLED}, {@code SOURCE_<NAME>_BASE_URL}, {@code SOURCE_<NAME>_PAGE_LIMIT}, where
 * {@code <NAME>} is the source name upper-cased with every other character turned into {@code _}
 * ({@code bestbuy-ca} → {@code SOURCE_BESTBUY_CA_ENABLED}). A global {@code SCRAPE_PROXY} applies
 * to every source that sets no proxy of its own.
 *
 * <pre>{
 *   "defaults": { "requests_per_second": 1, "obey_robots": true },
 *   "sources": [
 *     { "name": "demo", "adapter": "demo", "base_url": "http://127.0.0.1:8089/", "page_limit": 5 }
 *   ]
 * }</pre>
 */
public final class SourcesFile {
  /** The file shipped in the jar, used when {@code SOURCES_FILE} is not set. */
  public static final String BUILT_IN = "sources.json";

  private SourcesFile() {}

  /**
   * Loads {@code SOURCES_FILE} (a path) or the built-in file, then applies the environment's
   * overrides.
   */
  public static List<SourceConfig> load(Env env) {
    Optional<String> path = env.optional("SOURCES_FILE");
    String text;
    String origin;
    if (path.isPresent()) {
      origin = "SOURCES_FILE " + path.get();
      try {
        text = Files.readString(Path.of(path.get()), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException(
            "SOURCES_FILE: cannot read '" + path.get() + "': " + e.getMessage(), e);
      }
    } else {
      origin = "built-in " + BUILT_IN;
      try (InputStream in = SourcesFile.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
        if (in == null) {
          throw new ConfigException(
              "SOURCES_FILE is not set and the built-in " + BUILT_IN + " is missing");
        }
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException("cannot read the built-in " + BUILT_IN, e);
      }
    }
    return parse(text, origin, env);
  }

  /** Parses sources from {@code text}; {@code origin} names the file in error messages. */
  public static List<SourceConfig> parse(String text, String origin, Env env) {
    JsonObject root;
    try {
      root = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException(origin + " is not a JSON object: " + FirstLine.of(e.getMessage()));
    }
    JsonObject defaults = root.getJsonObject("defaults", new JsonObject());
    Object raw = root.getValue("sources");
    if (!(raw instanceof JsonArray)) {
      throw new ConfigException(origin + ": \"sources\" must be an array");
    }
    Optional<URI> globalProxy = env.optional("SCRAPE_PROXY").map(p -> uri("SCRAPE_PROXY", p));
    List<SourceConfig> sources = new ArrayList<>();
    Set<String> names = new HashSet<>();
    JsonArray array = (JsonArray) raw;
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof JsonObject)) {
        throw new ConfigException(origin + ": sources[" + i + "] must be an object");
      }
      SourceConfig source =
          source((JsonObject) item, defaults, origin + ": sources[" + i + "]", env, globalProxy);
      if (!names.add(source.name())) {
        throw new ConfigException(origin + ": two sources are named '" + source.name() + "'");
      }
      sources.add(source);
    }
    return sources;
  }

  /** The environment variable prefix of a source, e.g. {@code SOURCE_BESTBUY_CA_}. */
  public static String envPrefix(String sourceName) {
    return "SOURCE_" + sourceName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
  }

  private static SourceConfig source(
      JsonObject json, JsonObject defaults, String where, Env env, Optional<URI> globalProxy) {
    JsonObject merged = defaults.copy().mergeIn(json);
    String name = text(merged, "name", where);
    if (!Names.isSourceName(name)) {
      throw new ConfigException(
          where + ": name '" + name + "' must be lower-case letters, digits and '-'");
    }
    String prefix = envPrefix(name);
    String adapter = text(merged, "adapter", where);
    URI baseUrl =
        uri(
            prefix + "BASE_URL",
            env.optional(prefix + "BASE_URL").orElse(text(merged, "base_url", where)));
    boolean enabled = env.bool(prefix + "ENABLED", bool(merged, "enabled", true, where));
    int pageLimit =
        env.integer(
            prefix + "PAGE_LIMIT", integer(merged, "page_limit", 5, 1, 10_000, where), 1, 10_000);

    List<String> agents = new ArrayList<>();
    Object ua = merged.getValue("user_agent");
    if (ua instanceof String) {
      agents.add((String) ua);
    } else if (ua instanceof JsonArray) {
      for (Object a : (JsonArray) ua) {
        if (!(a instanceof String) || ((String) a).isBlank()) {
          throw new ConfigException(where + ": user_agent entries must be non-empty strings");
        }
        agents.add((String) a);
      }
    } else if (ua != null) {
      throw new ConfigException(where + ": user_agent must be a string or an array of strings");
    }
    Optional<URI> proxy =
        merged.containsKey("proxy")
            ? Optional.of(uri(where + ".proxy", text(merged, "proxy", where)))
            : globalProxy;
    proxy.ifPresent(
        p -> {
          String scheme = p.getScheme() == null ? "" : p.getScheme().toLowerCase(Locale.ROOT);
          if (!scheme.equals("http") && !scheme.equals("socks5") && !scheme.equals("socks4")) {
            throw new ConfigException(
                where + ": proxy must be http://, socks4:// or socks5://host:port, got " + p);
          }
        });
    SourceConfig.FetchSettings d = SourceConfig.FetchSettings.defaults();
    SourceConfig.FetchSettings fetch =
        new SourceConfig.FetchSettings(
            agents,
            bool(merged, "obey_robots", d.obeyRobots(), where),
            number(merged, "requests_per_second", d.requestsPerSecond(), where),
            integer(merged, "max_concurrency", d.maxConcurrency(), 1, 64, where),
            Duration.ofMillis(
                integer(
                    merged,
                    "connect_timeout_ms",
                    (int) d.connectTimeout().toMillis(),
                    100,
                    600_000,
                    where)),
            Duration.ofMillis(
                integer(
                    merged,
                    "read_timeout_ms",
                    (int) d.readTimeout().toMillis(),
                    100,
                    600_000,
                    where)),
            integer(merged, "max_retries", d.maxRetries(), 0, 20, where),
            integer(
                merged, "max_body_bytes", (int) d.maxBodyBytes(), 1024, Integer.MAX_VALUE, where),
            proxy);
    JsonObject options = merged.getJsonObject("options", new JsonObject());
    return new SourceConfig(
        name,
        adapter,
        baseUrl,
        enabled,
        pageLimit,
        fetch,
        options,
        health(merged.getValue("health"), where + ".health"));
  }

  private static SourceConfig.HealthSettings health(Object raw, String where) {
    SourceConfig.HealthSettings d = SourceConfig.HealthSettings.defaults();
    if (raw == null) {
      return d;
    }
    if (!(raw instanceof JsonObject json)) {
      throw new ConfigException(where + " must be an object");
    }
    for (String key : json.fieldNames()) {
      if (!List.of("min_yield_share", "max_share_drop", "baseline_runs").contains(key)) {
        throw new ConfigException(
            where
                + ": unknown key \""
                + key
                + "\" (known: min_yield_share, max_share_drop,"
                + " baseline_runs)");
      }
    }
    return new SourceConfig.HealthSettings(
        share(json, "min_yield_share", d.minYieldShare(), where),
        share(json, "max_share_drop", d.maxShareDrop(), where),
        integer(json, "baseline_runs", d.baselineRuns(), 1, 100, where));
  }

  private static double share(JsonObject json, String key, double dflt, String where) {
    double v = number(json, key, dflt, where);
    if (v > 1) {
      throw new ConfigException(
          where + ": \"" + key + "\" must be a share between 0 and 1, got " + v);
    }
    return v;
  }

  private static String text(JsonObject json, String key, String where) {
    Object v = json.getValue(key);
    if (!(v instanceof String) || ((String) v).isBlank()) {
      throw new ConfigException(where + ": \"" + key + "\" is required and must be a string");
    }
    return ((String) v).trim();
  }

  private static boolean bool(JsonObject json, String key, boolean dflt, String where) {
    Object v = json.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Boolean)) {
      throw new ConfigException(where + ": \"" + key + "\" must be true or false");
    }
    return (Boolean) v;
  }

  private static int integer(
      JsonObject json, String key, int dflt, int min, int max, String where) {
    Object v = json.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number)
        || ((Number) v).doubleValue() != Math.rint(((Number) v).doubleValue())
        || ((Number) v).longValue() < min
        || ((Number) v).longValue() > max) {
      throw new ConfigException(
          where + ": \"" + key + "\" must be an integer between " + min + " and " + max);
    }
    return ((Number) v).intValue();
  }

  private static double number(JsonObject json, String key, double dflt, String where) {
    Object v = json.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number) || ((Number) v).doubleValue() <= 0) {
      throw new ConfigException(where + ": \"" + key + "\" must be a positive number");
    }
    return ((Number) v).doubleValue();
  }

  private static URI uri(String where, String value) {
    try {
      URI uri = new URI(value.trim());
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new ConfigException(where + " must be an absolute URL, got '" + value + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(where + " is not a valid URL: '" + value + "'");
    }
  }
}
