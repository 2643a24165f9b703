package io.dormouse.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.api.v1alpha1.CapacityType;
import io.dormouse.api.v1alpha1.DisruptionBudget;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.NodeClassReference;
import io.dormouse.api.v1alpha1.NodeRequirement;
import io.dormouse.api.v1alpha1.NodeTaint;
import io.dormouse.api.v1alpha1.TierNodePool;
import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import sh.karpenter.v1.NodePool;
import sh.karpenter.v1.nodepoolspec.template.spec.Requirements;

/** The NodePool built for a tier, as Karpenter reads it. */
class GpuNodePoolTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  static GpuTier tier(CapacityType capacity) {
    GpuTier tier = new GpuTier();
    tier.setMetadata(new ObjectMeta());
    tier.getMetadata().setName("a100");
    tier.getMetadata().setUid("tier-uid");
    tier.getSpec().setCapacityType(capacity);
    tier.getSpec().setGpuProduct("a100");
    tier.getSpec().setMaxGpus(16);
    TierNodePool pool = new TierNodePool();
    NodeClassReference nodeClass = new NodeClassReference();
    nodeClass.setGroup("karpenter.k8s.aws");
    nodeClass.setKind("EC2NodeClass");
    nodeClass.setName("gpu");
    pool.setNodeClassRef(nodeClass);
    pool.setInstanceTypes(List.of("p4d.24xlarge", "p4de.24xlarge"));
    tier.getSpec().setNodePool(pool);
    return tier;
  }

  /** The built NodePool as the JSON sent to the API server. */
  private static JsonNode json(GpuTier tier) {
    return JSON.convertValue(GpuNodePool.build(tier), JsonNode.class);
  }

  @ParameterizedTest(name = "{0} → karpenter.sh/capacity-type In [{1}]")
  @CsvSource({"SPOT, spot", "ON_DEMAND, on-demand", "RESERVED, reserved"})
  void eachCapacityTypeBecomesKarpentersCapacityTypeRequirement(
      CapacityType capacity, String karpenterValue) {
    JsonNode pool = json(tier(capacity));

    assertThat(pool.path("apiVersion").asText()).isEqualTo("karpenter.sh/v1");
    assertThat(pool.path("kind").asText()).isEqualTo("NodePool");
    JsonNode requirements = pool.at("/spec/template/spec/requirements");
    assertThat(requirements.get(0).toString())
        .isEqualTo(
            "{\"key\":\"karpenter.sh/capacity-type\",\"operator\":\"In\",\"values\":[\""
                + karpenterValue
                + "\"]}");
    assertThat(requirements.get(1).toString())
        .isEqualTo(
            "{\"key\":\"node.kubernetes.io/instance-type\",\"operator\":\"In\","
                + "\"values\":[\"p4d.24xlarge\",\"p4de.24xlarge\"]}");
    assertThat(requirements).hasSize(2);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(CapacityType.class)
  void theNodePoolIsTheTiersOwnLabelledCappedAndConsolidatedOnlyWhenEmpty(CapacityType capacity) {
    NodePool pool = GpuNodePool.build(tier(capacity));

    assertThat(pool.getMetadata().getName()).isEqualTo("dormouse-a100");
    assertThat(pool.getMetadata().getName()).isEqualTo(Wiring.nodePoolName("a100"));
    assertThat(pool.getMetadata().getNamespace()).as("cluster-scoped").isNull();
    assertThat(pool.getMetadata().getLabels())
        .containsEntry(Wiring.LABEL_TIER, "a100")
        .containsEntry(Wiring.MANAGED_BY, Wiring.MANAGED_BY_VALUE);
    assertThat(pool.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getApiVersion()).isEqualTo("dormouse.io/v1alpha1");
              assertThat(o.getKind()).isEqualTo("GpuTier");
              assertThat(o.getName()).isEqualTo("a100");
              assertThat(o.getUid()).isEqualTo("tier-uid");
              assertThat(o.getController()).isTrue();
              assertThat(o.getBlockOwnerDeletion()).isTrue();
            });
    JsonNode json = JSON.convertValue(pool, JsonNode.class);
    assertThat(json.at("/spec/template/metadata/labels").toString())
        .isEqualTo("{\"dormouse.io/tier\":\"a100\"}");
    assertThat(json.at("/spec/template/spec/nodeClassRef").toString())
        .isEqualTo("{\"group\":\"karpenter.k8s.aws\",\"kind\":\"EC2NodeClass\",\"name\":\"gpu\"}");
    assertThat(json.at("/spec/limits").toString()).isEqualTo("{\"nvidia.com/gpu\":16}");
    assertThat(json.at("/spec/disruption").toString())
        .isEqualTo(
            "{\"budgets\":[{\"nodes\":\"10%\"}],\"consolidateAfter\":\"5m\","
                + "\"consolidationPolicy\":\"WhenEmpty\"}");
    assertThat(json.at("/spec/template/spec/taints").isMissingNode()).isTrue();
    assertThat(json.at("/spec/template/spec/expireAfter").isMissingNode())
        .as("the platform team's field, Karpenter's default")
        .isTrue();
    assertThat(json.at("/spec/weight").isMissingNode()).isTrue();
  }

  @Test
  void theGpuProductLabelRequirementAndTheTiersOwnRequirementsFollowTheCapacityType() {
    GpuTier tier = tier(CapacityType.SPOT);
    TierNodePool pool = tier.getSpec().getNodePool();
    pool.setInstanceTypes(List.of());
    pool.setGpuProductLabel("karpenter.k8s.aws/instance-gpu-name");
    NodeRequirement memory = new NodeRequirement();
    memory.setKey("karpenter.k8s.aws/instance-gpu-memory");
    memory.setOperator(NodeRequirement.Operator.Gte);
    memory.setValues(List.of("40960"));
    NodeRequirement zones = new NodeRequirement();
    zones.setKey("topology.kubernetes.io/zone");
    zones.setOperator(NodeRequirement.Operator.In);
    zones.setValues(List.of("eu-west-1a", "eu-west-1b"));
    zones.setMinValues(2);
    NodeRequirement noSpare = new NodeRequirement();
    noSpare.setKey("example.com/spare");
    noSpare.setOperator(NodeRequirement.Operator.DoesNotExist);
    pool.setRequirements(List.of(memory, zones, noSpare));

    JsonNode requirements = json(tier).at("/spec/template/spec/requirements");

    assertThat(requirements)
        .extracting(JsonNode::toString)
        .containsExactly(
            "{\"key\":\"karpenter.sh/capacity-type\",\"operator\":\"In\",\"values\":[\"spot\"]}",
            "{\"key\":\"karpenter.k8s.aws/instance-gpu-name\",\"operator\":\"In\","
                + "\"values\":[\"a100\"]}",
            "{\"key\":\"karpenter.k8s.aws/instance-gpu-memory\",\"operator\":\"Gte\","
                + "\"values\":[\"40960\"]}",
            "{\"key\":\"topology.kubernetes.io/zone\",\"minValues\":2,\"operator\":\"In\","
                + "\"values\":[\"eu-west-1a\",\"eu-west-1b\"]}",
            "{\"key\":\"example.com/spare\",\"operator\":\"DoesNotExist\"}");
  }

  @Test
  void taintsIdleTimeoutAndBudgetsPassThrough() {
    GpuTier tier = tier(CapacityType.ON_DEMAND);
    TierNodePool pool = tier.getSpec().getNodePool();
    NodeTaint gpu = new NodeTaint();
    gpu.setKey("nvidia.com/gpu");
    gpu.setEffect(NodeTaint.Effect.NoSchedule);
    NodeTaint team = new NodeTaint();
    team.setKey("example.com/team");
    team.setValue("ml");
    team.setEffect(NodeTaint.Effect.NoExecute);
    pool.setTaints(List.of(gpu, team));
    pool.setNodeIdleTimeout("1h30m");
    DisruptionBudget always = new DisruptionBudget();
    always.setNodes("1");
    DisruptionBudget officeHours = new DisruptionBudget();
    officeHours.setNodes("0");
    officeHours.setReasons(List.of(DisruptionBudget.Reason.Drifted, DisruptionBudget.Reason.Empty));
    officeHours.setSchedule("0 9 * * mon-fri");
    officeHours.setDuration("8h");
    pool.setDisruptionBudgets(List.of(always, officeHours));

    JsonNode json = json(tier);

    assertThat(json.at("/spec/template/spec/taints").toString())
        .isEqualTo(
            "[{\"effect\":\"NoSchedule\",\"key\":\"nvidia.com/gpu\"},"
                + "{\"effect\":\"NoExecute\",\"key\":\"example.com/team\",\"value\":\"ml\"}]");
    assertThat(json.at("/spec/disruption/consolidateAfter").asText()).isEqualTo("1h30m");
    assertThat(json.at("/spec/disruption/budgets").toString())
        .isEqualTo(
            "[{\"nodes\":\"1\"},{\"duration\":\"8h\",\"nodes\":\"0\","
                + "\"reasons\":[\"Drifted\",\"Empty\"],\"schedule\":\"0 9 * * mon-fri\"}]");
  }

  @Test
  void withoutACapTheNodePoolHasNoLimitAndTheCapFollowsTheGpuResource() {
    GpuTier uncapped = tier(CapacityType.SPOT);
    uncapped.getSpec().setMaxGpus(null);
    assertThat(GpuNodePool.build(uncapped).getSpec().getLimits()).isNull();

    GpuTier amd = tier(CapacityType.SPOT);
    amd.getSpec().setGpuResource("amd.com/gpu");
    amd.getSpec().setMaxGpus(0);
    assertThat(GpuNodePool.build(amd).getSpec().getLimits())
        .isEqualTo(Map.of("amd.com/gpu", new IntOrString(0)));
  }

  @Test
  void everyRequirementOperatorOfTheApiIsOneKarpenterKnows() {
    for (NodeRequirement.Operator operator : NodeRequirement.Operator.values()) {
      GpuTier tier = tier(CapacityType.SPOT);
      NodeRequirement r = new NodeRequirement();
      r.setKey("example.com/x");
      r.setOperator(operator);
      tier.getSpec().getNodePool().setRequirements(List.of(r));
      Requirements built =
          GpuNodePool.build(tier).getSpec().getTemplate().getSpec().getRequirements().get(2);
      assertThat(built.getOperator().getValue()).isEqualTo(operator.name());
    }
  }
}
