package io.dormouse.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
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
    "io.dormouse.gateway.routing..",
    "io.dormouse.gateway.cluster.."
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

  /**
   * The stages of the request path and the services they use never import the assembly (the
   * servers, the router that chains them, the app and its settings): no stage calls back into a
   * hub, and each can be read and tested on its own.
   */
  @Test
  void stagesNeverImportTheAssembly() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.dormouse.gateway.stages..",
            "io.dormouse.gateway.fleet..",
            "io.dormouse.gateway.peers..",
            "io.dormouse.gateway.proxy..",
            "io.dormouse.gateway.usage..")
        .should()
        .dependOnClassesThat(
            describe(
                "belong to the assembly (io.dormouse.gateway.http, GatewayApp, GatewayMain)",
                c ->
                    c.getPackageName().equals("io.dormouse.gateway.http")
                        || c.getName().startsWith("io.dormouse.gateway.GatewayApp")
                        || c.getName().startsWith("io.dormouse.gateway.GatewayMain")))
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
