package io.dormouse.ledger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The decisions (rollup days, GPU time, retention, fault sorting) are pure: no I/O at all. */
class LedgerArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.dormouse.ledger");

  @Test
  void decisionsImportNoIo() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.dormouse.ledger.rollup..",
            "io.dormouse.ledger.retention..",
            "io.dormouse.ledger.fault..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "javax.sql..",
            "java.io..",
            "java.nio..",
            "com.zaxxer..",
            "org.flywaydb..",
            "org.postgresql..",
            "io.dormouse.ledger.store..",
            "io.dormouse.ledger.spool..",
            "io.dormouse.ledger.writer..")
        .check(CLASSES);
  }

  @Test
  void theLedgerKnowsNothingOfOperatorGatewayOrKubernetes() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.dormouse.operator..", "io.dormouse.gateway..", "io.fabric8..", "io.vertx..")
        .check(CLASSES);
  }
}
