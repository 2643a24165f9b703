package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.Annotations;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One kind of GPU capacity (a node pool). Cluster-scoped: tiers are shared by every namespace. */
@SchemaCustomizer(
    value = SchemaCustomizer.MergePatchCustomizer.class,
    input =
        "{\"description\": \"One kind of GPU capacity (a node pool) that endpoints wake on, in the order their tiers name.\"}")
// Endpoints name tiers as DNS labels and the name becomes a label value on engine pods.
@ValidationRule(
    value =
        "size(self.metadata.name) <= 63 && self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
    fieldPath = ".metadata.name",
    message = "must be a lowercase DNS label, at most 63 characters (it is a label value)")
// Helm ships the CRDs as templates so upgrades reach them; keep them on uninstall, since
// deleting a CRD deletes every endpoint and tier with it.
@Annotations("helm.sh/resource-policy=keep")
@JsonIgnoreProperties(ignoreUnknown = true)
@Group(InferenceEndpoint.GROUP)
@Version(InferenceEndpoint.VERSION)
@Kind("GpuTier")
@Singular("gputier")
@Plural("gputiers")
@ShortNames("gt")
@AdditionalPrinterColumn(name = "GPU", jsonPath = ".spec.gpuProduct")
@AdditionalPrinterColumn(name = "CAPACITY", jsonPath = ".spec.capacityType")
@AdditionalPrinterColumn(name = "PRICE", jsonPath = ".spec.pricePerGpuHour")
@AdditionalPrinterColumn(
    name = "NODES",
    jsonPath = ".status.nodes",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "PROVISIONED",
    jsonPath = ".status.gpusProvisioned",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "IN-USE",
    jsonPath = ".status.gpusInUse",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class GpuTier extends CustomResource<GpuTierSpec, GpuTierStatus> {

  @Override
  protected GpuTierSpec initSpec() {
    return new GpuTierSpec();
  }

  // Overridden only to carry the descriptions that `kubectl explain gt.spec` shows.
  @Override
  @JsonPropertyDescription(
      "The pool's GPU resource and product, capacity type, node placement or Karpenter NodePool,"
          + " price and cap.")
  @Required
  public GpuTierSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "GPUs in use on the tier, the endpoints using them, its nodes and NodePool, written by the"
          + " operator.")
  public GpuTierStatus getStatus() {
    return super.getStatus();
  }
}
