package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One kind of GPU capacity: a node pool. */
@JsonIgnoreProperties(ignoreUnknown = true)
// Karpenter provisions only for pods whose every node label it can satisfy; a selector on labels
// the NodePool does not set would leave engine pods pending for ever.
@ValidationRule(
    value = "!has(self.nodePool) || !has(self.nodeSelector) || size(self.nodeSelector) == 0",
    fieldPath = ".nodeSelector",
    message =
        "must be empty when nodePool is set: engine pods then select the NodePool's nodes by the"
            + " dormouse.io/tier label")
@ValidationRule(
    value = "!has(self.nodePool) || !has(self.nodePool.gpuProductLabel) || has(self.gpuProduct)",
    fieldPath = ".nodePool.gpuProductLabel",
    message = "needs spec.gpuProduct, the value the NodePool requires of this label")
public class GpuTierSpec {

  @JsonPropertyDescription("The extended resource name of the GPU. Default nvidia.com/gpu.")
  @Default("nvidia.com/gpu")
  @Pattern("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
  private String gpuResource = "nvidia.com/gpu";

  @JsonPropertyDescription("The GPU model, e.g. NVIDIA-A100-SXM4-80GB.")
  private String gpuProduct;

  @JsonPropertyDescription("spot, on-demand or reserved.")
  @Required
  private CapacityType capacityType;

  @JsonPropertyDescription(
      "Labels that select this pool's nodes, for a node pool made outside Dormouse (e.g. a GKE"
          + " node pool); empty when nodePool is set.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription("Tolerations for this pool's taints.")
  private List<Toleration> tolerations = new ArrayList<>();

  @JsonPropertyDescription("Price of one GPU for one hour, a non-negative decimal such as 1.25.")
  @Pattern("^[0-9]+(\\.[0-9]+)?$")
  private String pricePerGpuHour;

  @JsonPropertyDescription(
      "The currency of pricePerGpuHour, an ISO 4217 code such as USD or EUR. Default USD.")
  @Default("USD")
  @Pattern("^[A-Z]{3}$")
  private String currency = "USD";

  @JsonPropertyDescription(
      "At most this many GPUs of the tier in use across all endpoints; unset means no cap.")
  @Min(0)
  private Integer maxGpus;

  @JsonPropertyDescription(
      "A Karpenter NodePool the operator owns for this tier; unset when the tier's nodes come from"
          + " a node pool made outside Dormouse, which nodeSelector and tolerations then select.")
  private TierNodePool nodePool;

  public String getGpuResource() {
    return gpuResource;
  }

  public void setGpuResource(String gpuResource) {
    this.gpuResource = gpuResource;
  }

  public String getGpuProduct() {
    return gpuProduct;
  }

  public void setGpuProduct(String gpuProduct) {
    this.gpuProduct = gpuProduct;
  }

  public CapacityType getCapacityType() {
    return capacityType;
  }

  public void setCapacityType(CapacityType capacityType) {
    this.capacityType = capacityType;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public String getCurrency() {
    return currency;
  }

  public void setCurrency(String currency) {
    this.currency = currency;
  }

  public String getPricePerGpuHour() {
    return pricePerGpuHour;
  }

  public void setPricePerGpuHour(String pricePerGpuHour) {
    this.pricePerGpuHour = pricePerGpuHour;
  }

  public Integer getMaxGpus() {
    return maxGpus;
  }

  public void setMaxGpus(Integer maxGpus) {
    this.maxGpus = maxGpus;
  }

  public TierNodePool getNodePool() {
    return nodePool;
  }

  public void setNodePool(TierNodePool nodePool) {
    this.nodePool = nodePool;
  }
}
