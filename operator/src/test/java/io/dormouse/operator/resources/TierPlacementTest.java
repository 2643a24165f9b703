package io.dormouse.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.CapacityType;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.GpuTierSpec;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.NodeTaint;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.presets.EffectiveSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where engine pods land: on the tier's own NodePool's nodes, or on a pre-made pool's. */
class TierPlacementTest {

  private static PodTemplateSpec enginePods(GpuTierSpec tier) {
    InferenceEndpoint ep = new InferenceEndpoint();
    ep.setMetadata(new ObjectMeta());
    ep.getMetadata().setName("llama");
    ep.getMetadata().setNamespace("team");
    ep.getMetadata().setUid("uid-1");
    EffectiveSpec spec =
        new EffectiveSpec(
            "meta-llama/Meta-Llama-3-8B-Instruct",
            "llama",
            "vllm/vllm-openai:v0.11.0",
            List.of(),
            1,
            List.of(),
            null,
            1);
    return EngineDeployment.build(ep, spec, "a100", tier, 1).getSpec().getTemplate();
  }

  private static final Toleration TEAM =
      new TolerationBuilder()
          .withKey("example.com/team")
          .withOperator("Exists")
          .withEffect("NoSchedule")
          .build();

  @Test
  void onItsOwnNodePoolATierSelectsItsNodesByTheTierLabelAndToleratesThePoolsTaints() {
    GpuTier tier = GpuNodePoolTest.tier(CapacityType.SPOT);
    NodeTaint gpu = new NodeTaint();
    gpu.setKey("nvidia.com/gpu");
    gpu.setEffect(NodeTaint.Effect.NoSchedule);
    NodeTaint team = new NodeTaint();
    team.setKey("example.com/pool");
    team.setValue("a100");
    team.setEffect(NodeTaint.Effect.NoExecute);
    tier.getSpec().getNodePool().setTaints(List.of(gpu, team));
    tier.getSpec().setTolerations(List.of(TEAM));

    PodTemplateSpec pods = enginePods(tier.getSpec());

    assertThat(pods.getSpec().getNodeSelector())
        .containsExactly(Map.entry(Wiring.LABEL_TIER, "a100"));
    assertThat(pods.getSpec().getTolerations())
        .containsExactly(
            TEAM,
            new TolerationBuilder()
                .withKey("nvidia.com/gpu")
                .withOperator("Exists")
                .withEffect("NoSchedule")
                .build(),
            new TolerationBuilder()
                .withKey("example.com/pool")
                .withOperator("Equal")
                .withValue("a100")
                .withEffect("NoExecute")
                .build());
    assertThat(pods.getMetadata().getAnnotations())
        .containsEntry(EngineDeployment.ANNOTATION_DO_NOT_DISRUPT, "true");
  }

  @Test
  void onAPreMadePoolTheTiersOwnSelectorAndTolerationsStay() {
    GpuTierSpec gke = new GpuTierSpec();
    gke.setCapacityType(CapacityType.SPOT);
    gke.setNodeSelector(
        Map.of(
            "cloud.google.com/gke-accelerator", "nvidia-a100-80gb",
            "cloud.google.com/gke-spot", "true"));
    gke.setTolerations(List.of(TEAM));

    PodTemplateSpec pods = enginePods(gke);

    assertThat(pods.getSpec().getNodeSelector()).isEqualTo(gke.getNodeSelector());
    assertThat(pods.getSpec().getTolerations()).containsExactly(TEAM);
    assertThat(pods.getMetadata().getAnnotations())
        .as("a pre-made pool may be a Karpenter NodePool too")
        .containsEntry(EngineDeployment.ANNOTATION_DO_NOT_DISRUPT, "true");
  }
}
