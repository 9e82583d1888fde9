package dev.gputracker.worker.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.gputracker.shared.testing.ArchitectureDoc;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The worker's package structure: no package cycles, nothing of the API. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.gputracker.worker");

  @Test
  @DisplayName("no cycle between any of the worker's packages")
  void noCycles() {
    slices().matching("dev.gputracker.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  @DisplayName("the worker module imports nothing of the api")
  void layering() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.gputracker.api..")
        .check(CLASSES);
  }

  @Test
  @DisplayName("ARCHITECTURE.md's modules table names exactly this module's packages")
  void documented() {
    ArchitectureDoc.assertTableMatches("worker", CLASSES);
  }
}
