package io.dormouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class GatewayMainTest {

  @ParameterizedTest
  @CsvSource(
      value = {
        "gw-ns, pod-ns, gw-ns",
        "null, pod-ns, pod-ns",
        "null, null, dormouse-system",
        "'', '', dormouse-system"
      },
      nullValues = "null")
  void theNamespaceComesFromTheOptionThenThePodsNamespace(
      String option, String pod, String expected) {
    assertThat(GatewayMain.resolveNamespace(option, pod)).isEqualTo(expected);
  }

  @Test
  void optionsOverrideTheDefaults() {
    GatewayMain main = new GatewayMain();
    new CommandLine(main).parseArgs("--port", "18080", "--management-port", "0", "--service", "gw");
    GatewaySettings s = main.settings();
    assertThat(s.port()).isEqualTo(18080);
    assertThat(s.managementPort()).isZero();
    assertThat(s.service()).isEqualTo("gw");
    assertThat(s.requireDeclaredProjects()).as("off unless asked for").isFalse();
  }

  @Test
  void namespacesCanBeRequiredToDeclareTheirProjects() {
    GatewayMain main = new GatewayMain();
    new CommandLine(main).parseArgs("--require-declared-projects");
    assertThat(main.settings().requireDeclaredProjects()).isTrue();
  }
}
