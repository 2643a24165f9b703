package io.dormouse.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OperatorMainTest {

  @Test
  void optionsBecomeSettings() {
    OperatorMain main = new OperatorMain();
    new CommandLine(main)
        .parseArgs(
            "--namespace=ops",
            "--gateway-namespace=gw",
            "--presets-configmap=catalog",
            "--management-port=0",
            "--no-leader-election",
            "--watch-namespaces=team-a, team-b,",
            "--require-declared-projects");

    OperatorSettings s = main.settings();

    assertThat(s.operatorNamespace()).isEqualTo("ops");
    assertThat(s.gatewayNamespace()).isEqualTo("gw");
    assertThat(s.presetsConfigMap()).isEqualTo("catalog");
    assertThat(s.managementPort()).isZero();
    assertThat(s.leaderElection()).isFalse();
    assertThat(s.watchNamespaces()).isEqualTo(Set.of("team-a", "team-b"));
    assertThat(s.requireDeclaredProjects()).isTrue();
  }

  @Test
  void withoutOptionsTheDocumentedDefaultsHold() {
    OperatorMain main = new OperatorMain();
    new CommandLine(main).parseArgs();

    OperatorSettings s = main.settings();

    // The defaults come from the environment when set; this test runs without those variables.
    if (System.getenv("DORMOUSE_GATEWAY_NAMESPACE") == null) {
      assertThat(s.gatewayNamespace()).isEqualTo("dormouse-system");
    }
    if (System.getenv("DORMOUSE_MANAGEMENT_PORT") == null) {
      assertThat(s.managementPort()).isEqualTo(8081);
    }
    if (System.getenv("DORMOUSE_LEADER_ELECTION") == null) {
      assertThat(s.leaderElection()).isTrue();
    }
    if (System.getenv("DORMOUSE_WATCH_NAMESPACES") == null) {
      assertThat(s.watchNamespaces()).isEmpty();
    }
    if (System.getenv("DORMOUSE_REQUIRE_DECLARED_PROJECTS") == null) {
      assertThat(s.requireDeclaredProjects()).isFalse();
    }
    if (System.getenv("DORMOUSE_LEDGER_ENABLED") == null) {
      assertThat(s.ledger()).as("the ledger is off unless enabled").isNull();
    }
    if (System.getenv("DORMOUSE_LEDGER_ROLLUP_INTERVAL") == null) {
      assertThat(s.ledgerRollupInterval()).hasMinutes(2);
    }
    assertThat(s.presetsConfigMap()).isNotBlank();
    assertThat(s.maxReconcileInterval()).hasSeconds(60);
  }
}
