package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dormouse.api.v1alpha1.CapacityType;
import io.dormouse.api.v1alpha1.GpuTier;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The operator and gateway get the replicas, images and settings the values ask for. */
class ComponentsTest {

  @ParameterizedTest
  @CsvSource({"DEFAULTS, 1, 2", "NON_DEFAULT, 2, 3"})
  void replicas(ValueSet values, int operator, int gateway) {
    Manifests m = Chart.render(values);

    assertThat(m.one("Deployment", "dormouse-operator", Deployment.class).getSpec().getReplicas())
        .isEqualTo(operator);
    assertThat(m.one("Deployment", "dormouse-gateway", Deployment.class).getSpec().getReplicas())
        .isEqualTo(gateway);
  }

  @Test
  void moreThanTwoOperatorsOrNoGatewayIsRefused() {
    assertThatThrownBy(() -> Chart.render(ValueSet.DEFAULTS, Map.of("operator.replicas", 3)))
        .hasMessageContaining("operator.replicas");
    assertThatThrownBy(() -> Chart.render(ValueSet.DEFAULTS, Map.of("gateway.replicas", 0)))
        .hasMessageContaining("gateway.replicas");
  }

  @ParameterizedTest
  @CsvSource({
    "DEFAULTS,    ghcr.io/dormouse-io/dormouse-operator:0.1.0,      ''",
    "NON_DEFAULT, registry.example.com/mirror/dormouse-operator:0.1.0-rc1, 'team-a,team-b'"
  })
  void operatorRunsWithLeaderElectionAndTheContractedSettings(
      ValueSet values, String image, String watched) {
    Container operator = container(Chart.render(values), "dormouse-operator");

    assertThat(operator.getImage()).isEqualTo(image);
    assertThat(env(operator))
        .containsEntry("DORMOUSE_OPERATOR_NAMESPACE", Chart.NAMESPACE)
        .containsEntry("DORMOUSE_GATEWAY_NAMESPACE", Chart.NAMESPACE)
        .containsEntry("DORMOUSE_PRESETS_CONFIGMAP", "dormouse-model-presets")
        .containsEntry("DORMOUSE_MANAGEMENT_PORT", "8081")
        .containsEntry("DORMOUSE_LEADER_ELECTION", "true")
        .containsEntry("DORMOUSE_WATCH_NAMESPACES", watched)
        .containsEntry("DORMOUSE_LOG_LEVEL", "INFO");
    assertProbesOnManagementPort(operator, 8081);
  }

  /** Both apply the tenancy rules, so both get the one setting; it is off unless asked for. */
  @ParameterizedTest
  @CsvSource({"DEFAULTS, false", "NON_DEFAULT, true"})
  void operatorAndGatewayAgreeWhetherNamespacesMustDeclareTheirProjects(
      ValueSet values, String required) {
    Manifests m = Chart.render(values);

    for (String who : List.of("dormouse-operator", "dormouse-gateway")) {
      assertThat(env(container(m, who)))
          .as(who)
          .containsEntry("DORMOUSE_REQUIRE_DECLARED_PROJECTS", required);
    }
  }

  @Test
  void onlyABooleanSaysWhetherNamespacesMustDeclareTheirProjects() {
    assertThatThrownBy(
            () -> Chart.render(ValueSet.DEFAULTS, Map.of("tenancy.requireDeclaredProjects", "yes")))
        .hasMessageContaining("requireDeclaredProjects");
    assertThatThrownBy(() -> Chart.render(ValueSet.DEFAULTS, Map.of("tenancy.allowAll", true)))
        .hasMessageContaining("allowAll");
  }

  @ParameterizedTest
  @CsvSource({"DEFAULTS, 120, 110, false", "NON_DEFAULT, 120, 100, true"})
  void gatewayFinishesInFlightResponsesBeforeThePodIsKilled(
      ValueSet values, int podGrace, int gatewayGrace, boolean preStop) {
    Manifests m = Chart.render(values);
    Deployment deployment = m.one("Deployment", "dormouse-gateway", Deployment.class);

    assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo(podGrace);
    Container gateway = container(m, "dormouse-gateway");
    assertThat(env(gateway))
        .containsEntry("DORMOUSE_SHUTDOWN_GRACE_SECONDS", Integer.toString(gatewayGrace));
    assertThat(gateway.getLifecycle() != null).isEqualTo(preStop);
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void gatewayKnowsItsNamespaceServiceAndPorts(ValueSet values) {
    Manifests m = Chart.render(values);
    Container gateway = container(m, "dormouse-gateway");

    assertThat(env(gateway))
        .containsEntry("DORMOUSE_GATEWAY_NAMESPACE", Chart.NAMESPACE)
        .containsEntry("DORMOUSE_GATEWAY_SERVICE", "dormouse-gateway")
        .containsEntry("DORMOUSE_HOST", "0.0.0.0")
        .containsEntry("DORMOUSE_PORT", "8080")
        .containsEntry("DORMOUSE_MANAGEMENT_PORT", "9090");
    assertThat(gateway.getEnv())
        .filteredOn(e -> e.getName().equals("POD_NAME"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.name"));
    assertThat(gateway.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactlyInAnyOrder("http:8080", "metrics:9090");
    assertProbesOnManagementPort(gateway, 9090);
    assertThat(m.one("Service", "dormouse-gateway").at("/spec/ports"))
        .extracting(p -> p.get("name").asText() + ":" + p.get("port").asInt())
        .containsExactlyInAnyOrder("http:8080", "metrics:9090");
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void aDrainKeepsAGatewayServing(ValueSet values) {
    Manifests m = Chart.render(values);
    PodDisruptionBudget pdb =
        m.one("PodDisruptionBudget", "dormouse-gateway", PodDisruptionBudget.class);
    var podLabels = m.podTemplates().get("Deployment/dormouse-gateway").getMetadata().getLabels();

    assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(
            m.one("Deployment", "dormouse-gateway", Deployment.class)
                .getSpec()
                .getStrategy()
                .getRollingUpdate()
                .getMaxUnavailable())
        .isEqualTo(new IntOrString(0));
  }

  @Test
  void gpuTiersFromValuesBecomeGpuTierObjects() {
    List<GpuTier> tiers = Chart.render(ValueSet.NON_DEFAULT).ofKind("GpuTier", GpuTier.class);

    assertThat(tiers)
        .extracting(t -> t.getMetadata().getName())
        .containsExactlyInAnyOrder("spot-a100", "on-demand-a100");
    GpuTier spot =
        tiers.stream().filter(t -> t.getMetadata().getName().equals("spot-a100")).findFirst().get();
    assertThat(spot.getMetadata().getNamespace()).isNull();
    assertThat(spot.getSpec().getCapacityType()).isEqualTo(CapacityType.SPOT);
    assertThat(spot.getSpec().getGpuProduct()).isEqualTo("NVIDIA-A100-SXM4-80GB");
    assertThat(spot.getSpec().getNodeSelector()).containsEntry("cloud.google.com/gke-spot", "true");
    assertThat(spot.getSpec().getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
    assertThat(spot.getSpec().getPricePerGpuHour()).isEqualTo("1.10");
    assertThat(spot.getSpec().getMaxGpus()).isEqualTo(16);
  }

  @ParameterizedTest
  @CsvSource({"auto, 0", "never, 0", "always, 1"})
  void tiersWaitForTheirCrdUnlessTold(String mode, int rendered) {
    // Rendered without a cluster: nothing serves GpuTier, as on a first install, where a GpuTier
    // in the manifest would fail the whole install.
    Manifests m =
        Chart.render(
            ValueSet.DEFAULTS, Map.of("gpuTiers.spot.capacityType", "spot", "gpuTiersMode", mode));

    assertThat(m.ofKind("GpuTier")).hasSize(rendered);
  }

  @ParameterizedTest
  @CsvSource({
    "DEFAULTS,    llama-3.1-8b-instruct, meta-llama/Llama-3.1-8B-Instruct,   1",
    "NON_DEFAULT, mistral-7b-instruct,   mistralai/Mistral-7B-Instruct-v0.3, 1",
    "NON_DEFAULT, llama-3.1-70b-instruct, meta-llama/Llama-3.1-70B-Instruct, 4"
  })
  void presetsCatalogHoldsModelParamsAndGpus(ValueSet values, String preset, String model, int gpus)
      throws Exception {
    var configMap = Chart.render(values).one("ConfigMap", "dormouse-model-presets");
    Map<String, Map<String, Object>> presets =
        Manifests.YAML.readValue(
            configMap.at("/data/presets.yaml").asText(), new TypeReference<>() {});

    assertThat(configMap.at("/metadata/namespace").asText()).isEqualTo(Chart.NAMESPACE);
    assertThat(presets.get(preset))
        .containsEntry("model", model)
        .containsEntry("gpusPerReplica", gpus)
        .containsKey("params");
  }

  @Test
  void userPresetsAddToTheCatalog() throws Exception {
    var configMap = Chart.render(ValueSet.NON_DEFAULT).one("ConfigMap", "dormouse-model-presets");
    Map<String, Object> presets =
        Manifests.YAML.readValue(
            configMap.at("/data/presets.yaml").asText(),
            new TypeReference<LinkedHashMap<String, Object>>() {});

    assertThat(presets)
        .containsOnlyKeys(
            "llama-3.1-8b-instruct",
            "qwen2.5-7b-instruct",
            "llama-3.1-70b-instruct",
            "mistral-7b-instruct",
            "tiny");
  }

  private static void assertProbesOnManagementPort(Container c, int port) {
    assertThat(c.getPorts())
        .filteredOn(p -> p.getName().equals("metrics"))
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(port));
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
    assertThat(c.getLivenessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString("metrics"));
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString("metrics"));
  }

  private static Container container(Manifests m, String deployment) {
    return m.one("Deployment", deployment, Deployment.class)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  private static Map<String, String> env(Container c) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      }
    }
    return env;
  }
}
