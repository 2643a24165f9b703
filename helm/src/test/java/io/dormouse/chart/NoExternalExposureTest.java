package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Nothing the chart renders, with any values, is reachable from outside the cluster. */
class NoExternalExposureTest {

  /** Kinds that route traffic from outside the cluster in. */
  private static final Set<String> EXPOSING_KINDS =
      Set.of("Ingress", "IngressClass", "Route", "Gateway", "HTTPRoute", "GRPCRoute", "TCPRoute");

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void everyServiceIsClusterIp(ValueSet values) {
    var services = Chart.render(values).ofKind("Service");

    assertThat(services).isNotEmpty();
    assertThat(services)
        .allSatisfy(
            s -> {
              assertThat(s.at("/spec/type").asText()).isEqualTo("ClusterIP");
              assertThat(s.at("/spec/externalIPs").isMissingNode()).isTrue();
              assertThat(s.at("/spec/loadBalancerIP").isMissingNode()).isTrue();
            });
    assertThat(services.stream().flatMap(s -> stream(s.at("/spec/ports"))))
        .allSatisfy(port -> assertThat(port.has("nodePort")).isFalse());
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void noIngressOrRouteOfAnyKind(ValueSet values) {
    assertThat(Chart.render(values).all())
        .extracting(d -> d.path("kind").asText())
        .doesNotContainAnyElementsOf(EXPOSING_KINDS);
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void noPodSharesTheHostsNetworkProcessesOrFiles(ValueSet values) {
    Map<String, io.fabric8.kubernetes.api.model.PodTemplateSpec> pods =
        Chart.render(values).podTemplates();

    assertThat(pods).containsKeys("Deployment/dormouse-operator", "Deployment/dormouse-gateway");
    pods.forEach(
        (owner, pod) -> {
          PodSpec spec = pod.getSpec();
          assertThat(spec.getHostNetwork()).as(owner).isNotEqualTo(Boolean.TRUE);
          assertThat(spec.getHostPID()).as(owner).isNotEqualTo(Boolean.TRUE);
          assertThat(spec.getHostIPC()).as(owner).isNotEqualTo(Boolean.TRUE);
          assertThat(spec.getVolumes())
              .as(owner)
              .extracting(Volume::getHostPath)
              .containsOnlyNulls();
          assertThat(
                  Stream.concat(spec.getContainers().stream(), spec.getInitContainers().stream()))
              .as(owner)
              .flatExtracting(Container::getPorts)
              .extracting(ContainerPort::getHostPort)
              .containsOnlyNulls();
        });
  }

  static Stream<Map<String, Object>> exposingValues() {
    return Stream.of(
        Map.of("gateway.service.type", "LoadBalancer"),
        Map.of("gateway.service.type", "NodePort"),
        Map.of("gateway.serviceType", "LoadBalancer"),
        Map.of("gateway.nodePort", 30080),
        Map.of("ingress.enabled", true),
        Map.of("gateway.ingress.enabled", true),
        Map.of("service.type", "LoadBalancer"),
        Map.of("gateway.hostNetwork", true));
  }

  @ParameterizedTest
  @MethodSource("exposingValues")
  void noValueCanExposeTheGateway(Map<String, Object> sets) {
    assertThatThrownBy(() -> Chart.render(ValueSet.DEFAULTS, sets))
        .hasMessageContaining("Additional property");
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false);
  }
}
