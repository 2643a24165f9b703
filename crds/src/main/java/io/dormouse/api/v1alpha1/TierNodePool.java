package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * A Karpenter NodePool the operator owns for the tier: the node class, which GPU nodes, how long an
 * empty node lives, disruption budgets and taints. Capacity type, limits and the tier label come
 * from the rest of the tier's spec.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value =
        "(has(self.instanceTypes) && size(self.instanceTypes) > 0) || has(self.gpuProductLabel) || (has(self.requirements) && size(self.requirements) > 0)",
    message =
        "must pick the GPU nodes: set instanceTypes, gpuProductLabel (with spec.gpuProduct) or"
            + " requirements")
public class TierNodePool {

  /** Karpenter's duration format: no fractions, no milliseconds. */
  static final String KARPENTER_DURATION = "^([0-9]+(s|m|h))+$";

  @JsonPropertyDescription(
      "The platform team's Karpenter node class: group, kind and name, e.g. karpenter.k8s.aws,"
          + " EC2NodeClass, gpu.")
  @Required
  private NodeClassReference nodeClassRef;

  @JsonPropertyDescription(
      "Instance types the pool may launch (node.kubernetes.io/instance-type), e.g."
          + " p4d.24xlarge or Standard_NC24ads_A100_v4.")
  @Size(max = 100)
  @ValidationRule(
      value = "self.all(t, self.exists_one(u, u == t))",
      message = "must not name an instance type twice")
  private List<@Size(min = 1, max = 63) @Pattern(NodeRequirement.LABEL_VALUE) String>
      instanceTypes = new ArrayList<>();

  @JsonPropertyDescription(
      "The node label whose value is the GPU product on this provider (AWS:"
          + " karpenter.k8s.aws/instance-gpu-name, Azure: karpenter.azure.com/sku-gpu-name);"
          + " the pool then requires it to equal spec.gpuProduct.")
  @Size(max = 316)
  @Pattern(NodeRequirement.LABEL_KEY)
  private String gpuProductLabel;

  @JsonPropertyDescription(
      "Further Karpenter node requirements, e.g. on karpenter.k8s.aws/instance-gpu-memory.")
  @Size(max = 30)
  private List<NodeRequirement> requirements = new ArrayList<>();

  @JsonPropertyDescription(
      "How long a node with no pods of the tier stays before Karpenter removes it"
          + " (consolidateAfter). A duration such as 90s, 5m or 1h. Default 5m.")
  @Default("5m")
  @Pattern(KARPENTER_DURATION)
  private String nodeIdleTimeout = "5m";

  @JsonPropertyDescription(
      "Karpenter disruption budgets: how many nodes may be disrupted at once, and when. Karpenter"
          + " allows 10% of the nodes when none is given.")
  @Size(max = 50)
  private List<DisruptionBudget> disruptionBudgets = new ArrayList<>();

  @JsonPropertyDescription(
      "Taints on the pool's nodes, e.g. nvidia.com/gpu:NoSchedule; the tier's engine pods"
          + " tolerate them.")
  @Size(max = 20)
  private List<NodeTaint> taints = new ArrayList<>();

  public NodeClassReference getNodeClassRef() {
    return nodeClassRef;
  }

  public void setNodeClassRef(NodeClassReference nodeClassRef) {
    this.nodeClassRef = nodeClassRef;
  }

  public List<String> getInstanceTypes() {
    return instanceTypes;
  }

  public void setInstanceTypes(List<String> instanceTypes) {
    this.instanceTypes = instanceTypes;
  }

  public String getGpuProductLabel() {
    return gpuProductLabel;
  }

  public void setGpuProductLabel(String gpuProductLabel) {
    this.gpuProductLabel = gpuProductLabel;
  }

  public List<NodeRequirement> getRequirements() {
    return requirements;
  }

  public void setRequirements(List<NodeRequirement> requirements) {
    this.requirements = requirements;
  }

  public String getNodeIdleTimeout() {
    return nodeIdleTimeout;
  }

  public void setNodeIdleTimeout(String nodeIdleTimeout) {
    this.nodeIdleTimeout = nodeIdleTimeout;
  }

  public List<DisruptionBudget> getDisruptionBudgets() {
    return disruptionBudgets;
  }

  public void setDisruptionBudgets(List<DisruptionBudget> disruptionBudgets) {
    this.disruptionBudgets = disruptionBudgets;
  }

  public List<NodeTaint> getTaints() {
    return taints;
  }

  public void setTaints(List<NodeTaint> taints) {
    this.taints = taints;
  }
}
