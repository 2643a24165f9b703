package io.dormouse.operator.resources;

import io.dormouse.api.v1alpha1.GpuTierSpec;
import io.dormouse.api.v1alpha1.NodeTaint;
import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a tier's engine pods may run. A tier with a NodePool of its own selects that pool's nodes
 * by the {@code dormouse.io/tier} label and tolerates the pool's taints; any other tier selects its
 * pre-made nodes with its own node selector and tolerations.
 */
public final class TierPlacement {

  private TierPlacement() {}

  public static Map<String, String> nodeSelector(String tier, GpuTierSpec spec) {
    if (spec.getNodePool() == null) {
      return spec.getNodeSelector();
    }
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(Wiring.LABEL_TIER, tier);
    return selector;
  }

  public static List<Toleration> tolerations(GpuTierSpec spec) {
    List<Toleration> tolerations = new ArrayList<>();
    if (spec.getTolerations() != null) {
      tolerations.addAll(spec.getTolerations());
    }
    if (spec.getNodePool() != null && spec.getNodePool().getTaints() != null) {
      for (NodeTaint taint : spec.getNodePool().getTaints()) {
        tolerations.add(toleration(taint));
      }
    }
    return tolerations;
  }

  private static Toleration toleration(NodeTaint taint) {
    boolean anyValue = taint.getValue() == null || taint.getValue().isEmpty();
    return new TolerationBuilder()
        .withKey(taint.getKey())
        .withOperator(anyValue ? "Exists" : "Equal")
        .withValue(anyValue ? null : taint.getValue())
        .withEffect(taint.getEffect().name())
        .build();
  }
}
