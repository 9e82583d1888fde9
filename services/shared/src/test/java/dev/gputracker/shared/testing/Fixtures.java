package dev.gputracker.shared.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Real marketplace pages saved from the web live in {@code ../shared/fixtures} beside the checkout
 * and are read in place, never copied into the repository. Where that folder is absent (a user's
 * own clone) tests that need it are skipped with a message saying why.
 */
public final class Fixtures {
  private Fixtures() {}

  /**
   * The fixtures folder, when present: {@code GPU_TRACKER_FIXTURES}, else {@code shared/fixtures}
   * beside an ancestor.
   */
  public static Optional<Path> root() {
    String explicit = System.getenv("GPU_TRACKER_FIXTURES");
    if (explicit != null && !explicit.isBlank()) {
      Path p = Paths.get(explicit);
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared").resolve("fixtures");
      if (Files.isDirectory(candidate) && Files.exists(candidate.resolve("README.md"))) {
        return Optional.of(candidate);
      }
      dir = dir.getParent();
    }
    return Optional.empty();
  }

  /** The saved page at {@code relative}, or a skipped test when the fixtures folder is absent. */
  public static Path require(String relative) {
    Optional<Path> root = root();
    assumeTrue(
        root.isPresent(),
        "the saved marketplace pages are not on this machine (they are the project's own material, kept out of the"
            + " repository): put them in a folder shared/fixtures beside the checkout, or set GPU_TRACKER_FIXTURES to"
            + " their folder");
    Path file = root.get().resolve(relative);
    assumeTrue(
        Files.isRegularFile(file),
        "the saved page " + file + " is missing from the fixtures folder");
    return file;
  }
}
