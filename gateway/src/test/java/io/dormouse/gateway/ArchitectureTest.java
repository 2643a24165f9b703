package io.dormouse.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "io.dormouse.gateway",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule theGatewayNeverDependsOnTheOperator =
      noClasses().should().dependOnClassesThat().resideInAPackage("io.dormouse.operator..");

  @ArchTest
  static final ArchRule decisionsAreFreeOfIo =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.dormouse.gateway.ratelimit..",
              "io.dormouse.gateway.backend..",
              "io.dormouse.gateway.wake..",
              "io.dormouse.gateway.routing..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.vertx..",
              "io.netty..",
              "io.fabric8.kubernetes.client..",
              "java.net..",
              "java.nio.file..",
              "java.nio.channels..");

  @ArchTest
  static final ArchRule decisionsDoNotLogOrTouchTheUsageSide =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.dormouse.gateway.ratelimit..",
              "io.dormouse.gateway.backend..",
              "io.dormouse.gateway.wake..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.dormouse.gateway.http..",
              "io.dormouse.gateway.kube..",
              "io.dormouse.gateway.proxy..");
}
