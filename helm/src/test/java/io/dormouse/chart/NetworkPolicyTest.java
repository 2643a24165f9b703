package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway admits clients only from labelled namespaces and Prometheus only from the monitoring
 * namespace; the operator admits Prometheus alone. Each policy selects exactly its own component's
 * pods.
 */
class NetworkPolicyTest {

  @ParameterizedTest
  @CsvSource({
    "DEFAULTS,    dormouse.io/gateway-access, true,    monitoring",
    "NON_DEFAULT, example.com/llm-clients,    allowed, observability"
  })
  void gatewayAdmitsLabelledNamespacesOnTheApiPortAndMonitoringOnMetrics(
      ValueSet values, String labelKey, String labelValue, String monitoring) {
    NetworkPolicy policy =
        Chart.render(values).one("NetworkPolicy", "dormouse-gateway", NetworkPolicy.class);

    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress())
        .satisfiesExactly(
            clients -> admitsOnly(clients, Map.of(labelKey, labelValue), 8080),
            metrics -> admitsOnly(metrics, Map.of("kubernetes.io/metadata.name", monitoring), 9090),
            peers -> {
              // the peer exchange: only the other gateway replicas, on the management port
              assertThat(peers.getFrom())
                  .singleElement()
                  .satisfies(
                      (NetworkPolicyPeer peer) -> {
                        assertThat(peer.getNamespaceSelector()).isNull();
                        assertThat(peer.getIpBlock()).isNull();
                        assertThat(peer.getPodSelector().getMatchLabels())
                            .isEqualTo(policy.getSpec().getPodSelector().getMatchLabels());
                      });
              assertThat(peers.getPorts())
                  .singleElement()
                  .satisfies(p -> assertThat(p.getPort()).isEqualTo(new IntOrString(9090)));
            },
            operator -> {
              // the autoscaler's load reads: only the operator's pods, on the management port
              assertThat(operator.getFrom())
                  .singleElement()
                  .satisfies(
                      (NetworkPolicyPeer peer) -> {
                        assertThat(peer.getNamespaceSelector()).isNull();
                        assertThat(peer.getIpBlock()).isNull();
                        assertThat(peer.getPodSelector().getMatchLabels())
                            .containsEntry("dormouse.io/role", "operator");
                      });
              assertThat(operator.getPorts())
                  .singleElement()
                  .satisfies(p -> assertThat(p.getPort()).isEqualTo(new IntOrString(9090)));
            });
  }

  @ParameterizedTest
  @CsvSource({"DEFAULTS, monitoring", "NON_DEFAULT, observability"})
  void operatorAdmitsOnlyMonitoringOnMetrics(ValueSet values, String monitoring) {
    NetworkPolicy policy =
        Chart.render(values).one("NetworkPolicy", "dormouse-operator", NetworkPolicy.class);

    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            metrics ->
                admitsOnly(metrics, Map.of("kubernetes.io/metadata.name", monitoring), 8081));
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void eachPolicySelectsItsOwnPodsAndNoOthers(ValueSet values) {
    Manifests m = Chart.render(values);
    var pods = m.podTemplates();
    var operatorPod = pods.get("Deployment/dormouse-operator").getMetadata().getLabels();
    var gatewayPod = pods.get("Deployment/dormouse-gateway").getMetadata().getLabels();

    LabelSelector gateway =
        m.one("NetworkPolicy", "dormouse-gateway", NetworkPolicy.class).getSpec().getPodSelector();
    LabelSelector operator =
        m.one("NetworkPolicy", "dormouse-operator", NetworkPolicy.class).getSpec().getPodSelector();

    assertThat(matches(gateway, gatewayPod)).isTrue();
    assertThat(matches(gateway, operatorPod)).isFalse();
    assertThat(matches(operator, operatorPod)).isTrue();
    assertThat(matches(operator, gatewayPod)).isFalse();
    assertThat(m.ofKind("NetworkPolicy")).hasSize(2);
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void policiesCoverEveryPortTheServicesExpose(ValueSet values) {
    Manifests m = Chart.render(values);

    assertThat(m.one("Service", "dormouse-gateway").at("/spec/ports"))
        .extracting(p -> p.get("port").asInt())
        .containsExactlyInAnyOrder(8080, 9090);
    assertThat(m.one("Service", "dormouse-operator-metrics").at("/spec/ports"))
        .extracting(p -> p.get("port").asInt())
        .containsExactly(8081);
  }

  private static void admitsOnly(NetworkPolicyIngressRule rule, Map<String, String> ns, int port) {
    assertThat(rule.getFrom())
        .singleElement()
        .satisfies(
            (NetworkPolicyPeer peer) -> {
              assertThat(peer.getIpBlock()).isNull();
              assertThat(peer.getPodSelector()).isNull();
              assertThat(peer.getNamespaceSelector().getMatchExpressions()).isEmpty();
              assertThat(peer.getNamespaceSelector().getMatchLabels()).isEqualTo(ns);
            });
    assertThat(rule.getPorts())
        .singleElement()
        .satisfies(
            (NetworkPolicyPort p) -> {
              assertThat(p.getProtocol()).isEqualTo("TCP");
              assertThat(p.getPort()).isEqualTo(new IntOrString(port));
              assertThat(p.getEndPort()).isNull();
            });
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    assertThat(selector.getMatchExpressions()).isEmpty();
    assertThat(selector.getMatchLabels()).isNotEmpty();
    return labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
  }
}
