package dev.gputracker.shared.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Collects every test a module skipped (a failed assumption: no Chromium, no podman, no saved
 * pages, no GPU) with its reason, prints them when the module's tests end, and appends them to the
 * build's list ({@code gputracker.skips.file}, set by the parent pom), which the last module prints
 * at the end of {@code mvn verify}. A skip is never silent: its reason says what to install or set.
 * Registered for every module through the shared test-jar's {@code META-INF/services}.
 */
public final class SkipReport implements TestExecutionListener {
  private final List<String> skipped = new ArrayList<>();

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    skipped.add(line(test, reason));
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      skipped.add(line(test, result.getThrowable().map(SkipReport::reason).orElse("aborted")));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    if (skipped.isEmpty()) {
      return;
    }
    StringBuilder report = new StringBuilder();
    for (String s : skipped) {
      report.append(s).append('\n');
    }
    System.out.println("Skipped here (" + skipped.size() + "):\n" + report);
    Optional.ofNullable(System.getProperty("gputracker.skips.file"))
        .filter(f -> !f.isBlank())
        .ifPresent(
            f -> {
              try {
                Path file = Path.of(f);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(
                    file,
                    report,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
              } catch (IOException e) {
                System.out.println("could not add the skips to " + f + ": " + e.getMessage());
              }
            });
  }

  static String line(TestIdentifier test, String reason) {
    String where =
        test.getSource()
            .map(
                source -> {
                  if (source instanceof MethodSource m) {
                    return simple(m.getClassName()) + "." + m.getMethodName();
                  }
                  if (source instanceof ClassSource c) {
                    return simple(c.getClassName());
                  }
                  return test.getDisplayName();
                })
            .orElse(test.getDisplayName());
    return "  " + where + ": " + reason;
  }

  private static String reason(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    // JUnit prefixes assumption messages; the reason is what follows.
    return message.replaceFirst("^Assumption failed: ", "").replaceFirst("^skipped: ", "");
  }

  private static String simple(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
