package dev.gputracker.api.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.gputracker.shared.testing.ArchitectureDoc;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The api module's package structure: no package cycles, nothing of the API. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.gputracker.api");

  @Test
  @DisplayName("no cycle between any of the api module's packages")
  void noCycles() {
    slices().matching("dev.gputracker.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  @DisplayName("the api module imports nothing of the worker")
  void layering() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.gputracker.worker..")
        .check(CLASSES);
  }

  @Test
  @DisplayName(
      "the http toolkit knows no resource, and no resource knows the server that assembles it")
  void resourcesLayered() {
    String[] resources = {
      "dev.gputracker.api.listings..",
      "dev.gputracker.api.gpus..",
      "dev.gputracker.api.sources..",
      "dev.gputracker.api.runs..",
      "dev.gputracker.api.jobs..",
      "dev.gputracker.api.events.."
    };
    noClasses()
        .that()
        .resideInAPackage("dev.gputracker.api.http..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(resources)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("dev.gputracker.api.server..")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAnyPackage(resources)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.gputracker.api.server..")
        .check(CLASSES);
  }

  @Test
  @DisplayName("ARCHITECTURE.md's modules table names exactly this module's packages")
  void documented() {
    ArchitectureDoc.assertTableMatches("api", CLASSES);
  }
}
