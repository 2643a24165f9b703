package io.dormouse.api;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.fabric8.kubernetes.client.CustomResource;
import org.junit.jupiter.api.Test;

/**
 * The API is the bottom of the dependency graph, and its types are plain data.
 *
 * <p>Plain {@code @Test} methods rather than {@code @ArchTest} fields: Surefire 3.5.3 silently
 * skips {@code @ArchTest} fields (TNG/ArchUnit#1442), so such rules would never fail the build.
 */
class ApiArchitectureTest {

  private static final JavaClasses API =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.dormouse.api");

  @Test
  void theApiDependsOnNothingElseOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("io.dormouse.api..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.dormouse..").and(not(resideInAPackage("io.dormouse.api.."))))
        .check(API);
  }

  @Test
  void theApiTypesHoldNoIo() {
    noClasses()
        .that()
        .resideInAPackage("io.dormouse.api.v1alpha1..")
        .should()
        .dependOnClassesThat(
            resideInAnyPackage(
                    "java.io..",
                    "java.nio.file..",
                    "java.nio.channels..",
                    "java.net..",
                    "java.util.concurrent..",
                    "io.vertx..",
                    "okhttp3..",
                    "com.fasterxml.jackson.databind..")
                .or(
                    resideInAPackage("io.fabric8.kubernetes.client..")
                        .and(not(equivalentTo(CustomResource.class)))))
        .as("io.dormouse.api.v1alpha1 types hold no I/O (files, sockets, clients, threads)")
        .check(API);
  }

  @Test
  void theImportSeesTheApi() {
    // Guards the rules above against passing vacuously on an empty import.
    assertThat(API.contain(InferenceEndpoint.class)).isTrue();
  }
}
