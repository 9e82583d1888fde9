package dev.gputracker.shared.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ties ARCHITECTURE.md's modules table to the code: a module's row names, in backticks, every
 * package of the module (relative to {@code dev.gputracker.<module>}; {@code a.b.*} stands for
 * every package below {@code a.b}), and nothing that is not one. A package added, moved or removed
 * without the table following fails the module's architecture test.
 */
public final class ArchitectureDoc {
  private static final Pattern TOKEN = Pattern.compile("`([^`]+)`");
  private static final Pattern PACKAGE =
      Pattern.compile("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*(\\.\\*)?");

  private ArchitectureDoc() {}

  /** Asserts that {@code module}'s row of the modules table matches the packages of its classes. */
  public static void assertTableMatches(String module, JavaClasses classes) {
    String root = "dev.gputracker." + module;
    Set<String> actual = new TreeSet<>();
    for (JavaClass type : classes) {
      String name = type.getPackageName();
      if (name.startsWith(root + ".")) {
        actual.add(name.substring(root.length() + 1));
      }
    }
    Set<String> named = namedPackages(module);
    Set<String> covered = new TreeSet<>();
    for (String pkg : actual) {
      if (named.contains(pkg)
          || named.stream()
              .anyMatch(n -> n.endsWith(".*") && pkg.startsWith(n.substring(0, n.length() - 1)))) {
        covered.add(pkg);
      }
    }
    assertThat(actual)
        .as("packages of services/%s missing from ARCHITECTURE.md's modules table", module)
        .containsExactlyInAnyOrderElementsOf(covered);
    for (String name : named) {
      if (name.endsWith(".*")) {
        String prefix = name.substring(0, name.length() - 1);
        assertThat(actual)
            .as("ARCHITECTURE.md names %s in services/%s, which has no such packages", name, module)
            .anyMatch(pkg -> pkg.startsWith(prefix));
      } else {
        assertThat(actual)
            .as(
                "ARCHITECTURE.md names `%s` in services/%s's row: not a package there",
                name, module)
            .contains(name);
      }
    }
  }

  /** The package-like backticked names in the packages column of {@code module}'s row. */
  static Set<String> namedPackages(String module) {
    Path doc = repositoryRoot().resolve("ARCHITECTURE.md");
    String text;
    try {
      text = Files.readString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String prefix = "| `services/" + module + "` |";
    String row =
        text.lines()
            .filter(line -> line.startsWith(prefix))
            .findFirst()
            .orElseThrow(() -> new AssertionError("ARCHITECTURE.md has no row " + prefix));
    String packages = row.substring(prefix.length(), row.indexOf('|', prefix.length()));
    Set<String> names = new TreeSet<>();
    Matcher token = TOKEN.matcher(packages);
    while (token.find()) {
      if (PACKAGE.matcher(token.group(1)).matches()) {
        names.add(token.group(1));
      }
    }
    return names;
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("ARCHITECTURE.md"))) {
        return dir;
      }
    }
    throw new AssertionError("no ARCHITECTURE.md above " + System.getProperty("user.dir"));
  }
}
