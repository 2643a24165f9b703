package io.dormouse.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator's dependency rules: decisions and builders stay pure; no gateway code. */
class ArchitectureTest {

  private static JavaClasses operator;

  @BeforeAll
  static void importClasses() {
    operator =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dormouse.operator");
  }

  @Test
  void theOperatorNeverUsesGatewayCode() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.dormouse.gateway..")
        .because("operator and gateway meet only through Kubernetes objects")
        .check(operator);
  }

  @Test
  void decisionsAndBuildersArePure() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.dormouse.operator.lifecycle..",
            "io.dormouse.operator.resources..",
            "io.dormouse.operator.tiers..",
            "io.dormouse.operator.wake..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.fabric8.kubernetes.client..",
            "io.javaoperatorsdk..",
            "io.vertx..",
            "java.net..",
            "java.io..",
            "java.nio..")
        .because("decisions and builders are pure functions of their inputs")
        .check(operator);
  }
}
