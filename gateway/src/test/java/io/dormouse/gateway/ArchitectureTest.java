package io.dormouse.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Package rules: the data path never reaches into the operator; decisions do no I/O. */
class ArchitectureTest {

  private static final String[] DECISIONS = {
    "io.dormouse.gateway.ratelimit..",
    "io.dormouse.gateway.backend..",
    "io.dormouse.gateway.wake..",
    "io.dormouse.gateway.routing.."
  };

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dormouse.gateway");
  }

  @Test
  void theGatewayNeverDependsOnTheOperator() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.dormouse.operator..")
        .check(classes);
  }

  @Test
  void decisionsImportNoVertxFabric8ClientOrIo() {
    noClasses()
        .that()
        .resideInAnyPackage(DECISIONS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.vertx..",
            "io.netty..",
            "io.fabric8.kubernetes.client..",
            "java.net..",
            "java.nio.file..",
            "java.nio.channels..",
            "org.slf4j..")
        .check(classes);
  }

  @Test
  void decisionsDoNotReachBackIntoTheShell() {
    noClasses()
        .that()
        .resideInAnyPackage(DECISIONS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.dormouse.gateway.http..",
            "io.dormouse.gateway.kube..",
            "io.dormouse.gateway.proxy..",
            "io.dormouse.gateway.usage..")
        .check(classes);
  }
}
