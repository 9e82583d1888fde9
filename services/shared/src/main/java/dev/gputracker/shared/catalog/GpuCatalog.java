package dev.gputracker.shared.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The curated GPU catalog, read from {@code catalog/gpu-models.csv} on the classpath, with each
 * model's relative gaming performance from {@code catalog/gpu-performance.csv} (a published
 * benchmark hierarchy, named with its date in that file's {@code # source:} and {@code # as_of:}
 * lines). It seeds the {@code gpu_models} table (see {@code GpuCatalogSeed}) and gives the
 * normaliser its list of valid slugs.
 */
public final class GpuCatalog {
  public static final String RESOURCE = "catalog/gpu-models.csv";
  public static final String PERFORMANCE_RESOURCE = "catalog/gpu-performance.csv";
  private static final String PERFORMANCE_HEADER = "slug,perf_index";
  private static final String HEADER =
      "slug,vendor,family,name,segment,vram_gb,memory_type,memory_bandwidth_gbs,fp32_tflops,fp16_tflops,tdp_w,"
          + "release_year";

  private final Map<String, GpuModel> bySlug;
  private final String checksumSource;
  private final PerformanceSource performanceSource;

  /**
   * Where the performance index comes from, as the data file names it.
   *
   * @param source the publication and the table the figures are taken from
   * @param asOf the date of the figures (yyyy-mm)
   */
  public record PerformanceSource(String source, String asOf) {}

  private GpuCatalog(
      Map<String, GpuModel> bySlug, String checksumSource, PerformanceSource performanceSource) {
    this.bySlug = Collections.unmodifiableMap(bySlug);
    this.checksumSource = checksumSource;
    this.performanceSource = performanceSource;
  }

  /** The catalog shipped with the application. */
  public static GpuCatalog load() {
    return parse(resource(RESOURCE), resource(PERFORMANCE_RESOURCE));
  }

  private static String resource(String name) {
    try (InputStream in = GpuCatalog.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The catalog from the two data files' text: models, then their performance index. */
  static GpuCatalog parse(String modelsCsv, String performanceCsv) {
    Map<String, GpuModel> models = parseModels(modelsCsv);
    StringBuilder source = new StringBuilder();
    String asOf = null;
    boolean headerSeen = false;
    int lineNumber = 0;
    boolean inSource = false;
    for (String line : performanceCsv.split("\\R")) {
      lineNumber++;
      if (line.startsWith("#")) {
        String comment = line.substring(1).trim();
        if (comment.startsWith("source:")) {
          source.append(comment.substring("source:".length()).trim());
          inSource = true;
        } else if (inSource && line.startsWith("#   ")) {
          source.append(' ').append(comment);
        } else {
          inSource = false;
          if (comment.startsWith("as_of:")) {
            asOf = comment.substring("as_of:".length()).trim();
          }
        }
        continue;
      }
      inSource = false;
      if (line.isBlank()) {
        continue;
      }
      if (!headerSeen) {
        if (!line.trim().equals(PERFORMANCE_HEADER)) {
          throw new IllegalStateException(
              PERFORMANCE_RESOURCE + ": expected header '" + PERFORMANCE_HEADER + "'");
        }
        headerSeen = true;
        continue;
      }
      List<String> f = split(line);
      String where = PERFORMANCE_RESOURCE + " line " + lineNumber + ": ";
      if (f.size() != 2) {
        throw new IllegalStateException(where + "expected 2 fields, got " + f.size());
      }
      GpuModel model = models.get(f.get(0));
      if (model == null) {
        throw new IllegalStateException(where + "no model " + f.get(0) + " in " + RESOURCE);
      }
      if (model.perfIndex() != null) {
        throw new IllegalStateException(where + "duplicate slug " + f.get(0));
      }
      BigDecimal index = new BigDecimal(f.get(1));
      if (index.signum() <= 0) {
        throw new IllegalStateException(where + "perf_index must be positive");
      }
      models.put(model.slug(), model.withPerfIndex(index));
    }
    if (source.length() == 0 || asOf == null) {
      throw new IllegalStateException(
          PERFORMANCE_RESOURCE + " must name its '# source:' and '# as_of:'");
    }
    return new GpuCatalog(
        models, modelsCsv + "\n" + performanceCsv, new PerformanceSource(source.toString(), asOf));
  }

  private static Map<String, GpuModel> parseModels(String csv) {
    Map<String, GpuModel> models = new LinkedHashMap<>();
    boolean headerSeen = false;
    int lineNumber = 0;
    try (BufferedReader reader = new BufferedReader(new StringReader(csv))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (!headerSeen) {
          if (!line.trim().equals(HEADER)) {
            throw new IllegalStateException(
                RESOURCE + ": expected header '" + HEADER + "', got '" + line + "'");
          }
          headerSeen = true;
          continue;
        }
        List<String> f = split(line);
        if (f.size() != 12) {
          throw new IllegalStateException(
              RESOURCE
                  + " line "
                  + lineNumber
                  + ": expected 12 fields, got "
                  + f.size()
                  + ": "
                  + line);
        }
        GpuModel model =
            new GpuModel(
                f.get(0),
                f.get(1),
                f.get(2),
                f.get(3),
                f.get(4),
                decimal(f.get(5)),
                blankToNull(f.get(6)),
                decimal(f.get(7)),
                decimal(f.get(8)),
                decimal(f.get(9)),
                integer(f.get(10)),
                integer(f.get(11)),
                null);
        if (models.put(model.slug(), model) != null) {
          throw new IllegalStateException(
              RESOURCE + " line " + lineNumber + ": duplicate slug " + model.slug());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return models;
  }

  /** The publication and date the performance index is taken from. */
  public PerformanceSource performanceSource() {
    return performanceSource;
  }

  public Optional<GpuModel> find(String slug) {
    return Optional.ofNullable(bySlug.get(slug));
  }

  public boolean contains(String slug) {
    return bySlug.containsKey(slug);
  }

  public List<GpuModel> models() {
    return new ArrayList<>(bySlug.values());
  }

  /** A stable fingerprint of the data files; the seed migration re-runs when it changes. */
  public int checksum() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(checksumSource.getBytes(StandardCharsets.UTF_8));
      return ((digest[0] & 0xff) << 24)
          | ((digest[1] & 0xff) << 16)
          | ((digest[2] & 0xff) << 8)
          | (digest[3] & 0xff);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          current.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          current.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(current.toString().trim());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    fields.add(current.toString().trim());
    return fields;
  }

  private static String blankToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static BigDecimal decimal(String s) {
    return s.isEmpty() ? null : new BigDecimal(s);
  }

  private static Integer integer(String s) {
    return s.isEmpty() ? null : Integer.valueOf(s);
  }
}
