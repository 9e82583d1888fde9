package dev.gputracker.shared.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gputracker.shared.db.SqlResource;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a module's named SQL files (read by {@link SqlResource}): each opens with a {@code --}
 * header, and the header names every {@code $n} parameter its statement uses.
 */
public final class SqlFiles {
  private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)");

  /** {@code $3..$16}: a run of parameters documented together; {@code $1 to $n}: all from 1. */
  private static final Pattern RANGE = Pattern.compile("\\$(\\d+)\\s*(?:\\.\\.|to)\\s*\\$(\\d+|n)");

  private SqlFiles() {}

  /**
   * Asserts the rule above for every {@code .sql} file among the compiled main resources of {@code
   * anchor}'s module, below {@code anchor}'s package; returns how many files it checked.
   */
  public static int assertDocumented(Class<?> anchor) throws IOException, URISyntaxException {
    Path root =
        Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve(anchor.getPackageName().replace('.', '/'));
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    for (Path file : files) {
      String text = Files.readString(file);
      String statement = SqlResource.withoutHeader(text);
      assertThat(statement).as("%s holds a statement", file).isNotBlank();
      String header = text.substring(0, text.indexOf(statement.strip()));
      assertThat(header).as("%s opens with a -- header", file).startsWith("-- ");
      Set<Integer> documented = new TreeSet<>();
      Matcher single = PARAMETER.matcher(header);
      while (single.find()) {
        documented.add(Integer.parseInt(single.group(1)));
      }
      Matcher range = RANGE.matcher(header);
      while (range.find()) {
        int to = range.group(2).equals("n") ? Integer.MAX_VALUE : Integer.parseInt(range.group(2));
        for (int n = Integer.parseInt(range.group(1)); n <= Math.min(to, 999); n++) {
          documented.add(n);
        }
      }
      Matcher used = PARAMETER.matcher(statement);
      while (used.find()) {
        assertThat(documented)
            .as("%s's header names $%s", file, used.group(1))
            .contains(Integer.parseInt(used.group(1)));
      }
    }
    return files.size();
  }
}
