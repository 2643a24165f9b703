package io.dormouse.operator.tiers;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.CapacityType;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.GpuTierStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import sh.karpenter.v1.NodePoolStatus;
import sh.karpenter.v1.nodepoolstatus.Conditions;

/** The tier's status, and its NodePoolReady condition, from what was observed. */
class TierStatusAssemblyTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final TierNodes NO_NODES = new TierNodes(0, 0);

  private static GpuTier tier() {
    GpuTier tier = new GpuTier();
    tier.setMetadata(new ObjectMeta());
    tier.getMetadata().setName("a100");
    tier.getMetadata().setGeneration(3L);
    tier.getSpec().setCapacityType(CapacityType.SPOT);
    return tier;
  }

  private static NodePoolStatus karpenter(Conditions.Status ready, String reason, String message) {
    Conditions c = new Conditions();
    c.setType("Ready");
    c.setStatus(ready);
    c.setReason(reason);
    c.setMessage(message);
    NodePoolStatus status = new NodePoolStatus();
    status.setConditions(List.of(c));
    return status;
  }

  private static NodePoolObservation seen(NodePoolObservation.State state, NodePoolStatus status) {
    return NodePoolObservation.of(state, "dormouse-a100", status);
  }

  static Stream<Arguments> readiness() {
    return Stream.of(
        Arguments.of(
            seen(NodePoolObservation.State.KARPENTER_NOT_INSTALLED, null),
            "False",
            "KarpenterNotInstalled",
            "the cluster serves no karpenter.sh/v1 NodePool API"),
        Arguments.of(
            seen(NodePoolObservation.State.NOT_OWNED, null),
            "False",
            "NodePoolNotOwned",
            "NodePool dormouse-a100 exists and is not this tier's"),
        Arguments.of(
            seen(NodePoolObservation.State.NODE_CLASS_CHANGED, null),
            "False",
            "NodeClassChangeRefused",
            "change its node class's group or kind"),
        Arguments.of(
            NodePoolObservation.refused(
                "dormouse-a100",
                "NodePool.karpenter.sh \"dormouse-a100\" is invalid: spec.limits: Invalid value"),
            "False",
            "NodePoolRefused",
            "the API server refused NodePool dormouse-a100: NodePool.karpenter.sh"),
        Arguments.of(
            seen(NodePoolObservation.State.APPLIED, null),
            "Unknown",
            "AwaitingKarpenter",
            "Karpenter has not reported on NodePool dormouse-a100 yet"),
        Arguments.of(
            seen(NodePoolObservation.State.APPLIED, new NodePoolStatus()),
            "Unknown",
            "AwaitingKarpenter",
            "yet"),
        Arguments.of(
            seen(NodePoolObservation.State.APPLIED, karpenter(Conditions.Status.TRUE, "Ready", "")),
            "True",
            "Ready",
            "NodePool dormouse-a100 is ready"),
        Arguments.of(
            seen(
                NodePoolObservation.State.APPLIED,
                karpenter(
                    Conditions.Status.FALSE, "NodeClassReadyNotFound", "EC2NodeClass gpu missing")),
            "False",
            "NotReady",
            "NodePool dormouse-a100 is not ready: NodeClassReadyNotFound: EC2NodeClass gpu missing"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("readiness")
  void theNodePoolReadyConditionSaysWhy(
      NodePoolObservation pool, String status, String reason, String message) {
    GpuTierStatus after =
        TierStatusAssembly.of(
            tier(), new TierStatusAssembly.Observed(0, List.of(), NO_NODES, pool), T0);

    assertThat(after.getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("NodePoolReady");
              assertThat(c.getStatus()).isEqualTo(status);
              assertThat(c.getReason()).isEqualTo(reason);
              assertThat(c.getMessage()).contains(message);
              assertThat(c.getObservedGeneration()).isEqualTo(3L);
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
            });
    assertThat(after.getObservedGeneration()).isEqualTo(3L);
    assertThat(after.getNodes()).as("a tier with a NodePool always counts its nodes").isZero();
    assertThat(after.getNodePool())
        .isEqualTo(pool.state() == NodePoolObservation.State.APPLIED ? "dormouse-a100" : null);
  }

  @Test
  void aConditionKeepsItsTransitionTimeUntilItsStatusChanges() {
    GpuTier tier = tier();
    NodePoolObservation waiting = seen(NodePoolObservation.State.APPLIED, null);
    tier.setStatus(
        TierStatusAssembly.of(
            tier, new TierStatusAssembly.Observed(0, List.of(), NO_NODES, waiting), T0));

    GpuTierStatus stillWaiting =
        TierStatusAssembly.of(
            tier,
            new TierStatusAssembly.Observed(0, List.of(), NO_NODES, waiting),
            T0.plusSeconds(30));
    tier.setStatus(stillWaiting);
    GpuTierStatus ready =
        TierStatusAssembly.of(
            tier,
            new TierStatusAssembly.Observed(
                0,
                List.of(),
                NO_NODES,
                seen(
                    NodePoolObservation.State.APPLIED,
                    karpenter(Conditions.Status.TRUE, "Ready", ""))),
            T0.plusSeconds(60));

    assertThat(condition(stillWaiting).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(condition(ready).getLastTransitionTime()).isEqualTo("2026-01-01T00:01:00Z");
  }

  @Test
  void aTierWithoutANodePoolHasNoConditionAndCountsNodesOnlyIfSomeAreLabelled() {
    GpuTierStatus unlabelled =
        TierStatusAssembly.of(
            tier(),
            new TierStatusAssembly.Observed(
                4, List.of("team/llama"), NO_NODES, NodePoolObservation.none()),
            T0);
    assertThat(unlabelled.getConditions()).isEmpty();
    assertThat(unlabelled.getNodes()).isNull();
    assertThat(unlabelled.getGpusProvisioned()).isNull();
    assertThat(unlabelled.getGpusInUse()).isEqualTo(4);
    assertThat(unlabelled.getEndpoints()).containsExactly("team/llama");

    GpuTierStatus labelled =
        TierStatusAssembly.of(
            tier(),
            new TierStatusAssembly.Observed(
                4, List.of(), new TierNodes(2, 16), NodePoolObservation.none()),
            T0);
    assertThat(labelled.getNodes()).isEqualTo(2);
    assertThat(labelled.getGpusProvisioned()).isEqualTo(16);
  }

  @Test
  void theTiersNodesCountTheirGpuCapacityOfTheTiersResource() {
    List<Node> nodes =
        List.of(
            node("n1", "nvidia.com/gpu", "8"),
            node("n2", "nvidia.com/gpu", "4"),
            node("n3", "amd.com/gpu", "8"),
            new NodeBuilder().withNewMetadata().withName("booting").endMetadata().build());

    assertThat(TierNodes.of(nodes, "nvidia.com/gpu")).isEqualTo(new TierNodes(4, 12));
  }

  private static Node node(String name, String resource, String gpus) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .addToCapacity(resource, new Quantity(gpus))
        .addToCapacity("cpu", new Quantity("96"))
        .endStatus()
        .build();
  }

  private static Condition condition(GpuTierStatus status) {
    return status.getConditions().get(0);
  }
}
