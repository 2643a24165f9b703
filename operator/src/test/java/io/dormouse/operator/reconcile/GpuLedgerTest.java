package io.dormouse.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.lifecycle.Plan;
import io.dormouse.operator.lifecycle.TierCapacity;
import io.dormouse.operator.resources.EngineDeployment;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class GpuLedgerTest {

  private final GpuLedger ledger = new GpuLedger();
  private final Map<String, GpuTier> tiers = Map.of("a", tier("a", 8));

  @Test
  void aClaimCountsBeforeTheCacheShowsTheDeployment() {
    Set<String> live = Set.of("team/one", "team/two");
    ledger.decide("team/one", 4, tiers, Stream.empty(), live, cap -> plan("a", 2));

    AtomicReference<TierCapacity> seenByTwo = new AtomicReference<>();
    ledger.decide(
        "team/two",
        4,
        tiers,
        Stream.empty(),
        live,
        cap -> {
          seenByTwo.set(cap.get("a"));
          return plan("a", 0);
        });

    assertThat(seenByTwo.get().gpusUsedByOthers()).isEqualTo(8);
    assertThat(seenByTwo.get().maxGpus()).isEqualTo(8);
  }

  @Test
  void theCacheCountsEndpointsNotYetDecidedAndOwnUseIsNotOthers() {
    Deployment other = deployment("team", "three", "a", 3, 2);
    Deployment mine = deployment("team", "one", "a", 1, 2);
    AtomicReference<TierCapacity> seen = new AtomicReference<>();

    ledger.decide(
        "team/one",
        2,
        tiers,
        Stream.of(other, mine),
        Set.of("team/one", "team/three"),
        cap -> {
          seen.set(cap.get("a"));
          return plan("a", 1);
        });

    assertThat(seen.get().gpusUsedByOthers()).isEqualTo(6);
  }

  @Test
  void aDeletedEndpointsClaimIsReleased() {
    ledger.decide("team/gone", 8, tiers, Stream.empty(), Set.of("team/gone"), cap -> plan("a", 1));
    assertThat(ledger.claimed("team/gone", "a")).isEqualTo(8);

    ledger.decide("team/new", 1, tiers, Stream.empty(), Set.of("team/new"), cap -> plan("a", 0));

    assertThat(ledger.claimed("team/gone", "a")).isZero();
  }

  private static Plan plan(String tier, int replicas) {
    return new Plan(
        Map.of(tier, replicas),
        new InferenceEndpointStatus(),
        List.of(),
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  private static GpuTier tier(String name, Integer max) {
    GpuTier t = new GpuTier();
    t.setMetadata(new ObjectMeta());
    t.getMetadata().setName(name);
    t.getSpec().setMaxGpus(max);
    return t;
  }

  private static Deployment deployment(
      String ns, String endpoint, String tier, int replicas, int gpus) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(Wiring.engineName(endpoint, tier))
        .addToLabels(Wiring.LABEL_ENDPOINT, endpoint)
        .addToLabels(Wiring.LABEL_TIER, tier)
        .addToAnnotations(EngineDeployment.ANNOTATION_GPUS_PER_REPLICA, Integer.toString(gpus))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .endSpec()
        .build();
  }
}
