package io.dormouse.operator.tiers;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Collection;

/**
 * A tier's nodes (those labelled {@code dormouse.io/tier} with its name) and the GPUs they hold,
 * whether or not a pod uses them: what the tier is paying for.
 */
public record TierNodes(int nodes, int gpusProvisioned) {

  public static TierNodes of(Collection<Node> nodes, String gpuResource) {
    int gpus = 0;
    for (Node node : nodes) {
      Quantity capacity =
          node.getStatus() == null || node.getStatus().getCapacity() == null
              ? null
              : node.getStatus().getCapacity().get(gpuResource);
      if (capacity != null) {
        gpus += capacity.getNumericalAmount().intValue();
      }
    }
    return new TierNodes(nodes.size(), gpus);
  }
}
