package io.dormouse.operator.ledger;

import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.GpuTierSpec;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.ledger.rows.GpuInterval;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** What an engine pod tells of the GPUs it holds. Pure. */
final class PodGpus {

  static final String DEFAULT_RESOURCE = "nvidia.com/gpu";
  static final String DEFAULT_CURRENCY = "USD";

  private PodGpus() {}

  /**
   * Whether the pod holds its GPUs now: bound to a node and not finished. A terminating pod still
   * holds them until it is gone.
   */
  static boolean holds(Pod pod) {
    if (pod.getMetadata() == null || pod.getMetadata().getUid() == null) {
      return false;
    }
    if (pod.getSpec() == null || pod.getSpec().getNodeName() == null) {
      return false;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  /**
   * The open interval of a pod that holds GPUs, at its tier's price now; null when it asks for no
   * GPU or does not name its endpoint and tier.
   */
  static GpuInterval open(Pod pod, Map<String, GpuTier> tiers, Instant now) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String endpoint = labels == null ? null : labels.get(Wiring.LABEL_ENDPOINT);
    String tier = labels == null ? null : labels.get(Wiring.LABEL_TIER);
    if (endpoint == null || tier == null) {
      return null;
    }
    GpuTier gpuTier = tiers.get(tier);
    GpuTierSpec spec = gpuTier == null ? null : gpuTier.getSpec();
    String resource =
        spec == null || spec.getGpuResource() == null ? DEFAULT_RESOURCE : spec.getGpuResource();
    int gpus = gpus(pod, resource);
    if (gpus <= 0) {
      return null;
    }
    return new GpuInterval(
        pod.getMetadata().getUid(),
        pod.getMetadata().getNamespace(),
        endpoint,
        tier,
        pod.getMetadata().getName(),
        pod.getSpec().getNodeName(),
        gpus,
        price(spec),
        spec == null || spec.getCurrency() == null ? DEFAULT_CURRENCY : spec.getCurrency(),
        boundAt(pod, now),
        null);
  }

  /** The GPUs the pod's containers are limited to (or request, when no limit is set). */
  static int gpus(Pod pod, String resource) {
    int total = 0;
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getResources() == null) {
        continue;
      }
      Quantity q = quantity(c.getResources().getLimits(), resource);
      if (q == null) {
        q = quantity(c.getResources().getRequests(), resource);
      }
      if (q != null) {
        total += Quantity.getAmountInBytes(q).intValue();
      }
    }
    return total;
  }

  /** When the pod was bound: its PodScheduled=True transition, else now (first seen bound). */
  static Instant boundAt(Pod pod, Instant now) {
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("PodScheduled".equals(c.getType())
            && "True".equals(c.getStatus())
            && c.getLastTransitionTime() != null) {
          Instant at = Instant.parse(c.getLastTransitionTime());
          return at.isAfter(now) ? now : at;
        }
      }
    }
    return now;
  }

  private static BigDecimal price(GpuTierSpec spec) {
    if (spec == null || spec.getPricePerGpuHour() == null) {
      return BigDecimal.ZERO;
    }
    try {
      return new BigDecimal(spec.getPricePerGpuHour());
    } catch (NumberFormatException e) {
      return BigDecimal.ZERO; // the CRD refuses such a price; never stop counting time over it
    }
  }

  private static Quantity quantity(Map<String, Quantity> map, String resource) {
    return map == null ? null : map.get(resource);
  }
}
