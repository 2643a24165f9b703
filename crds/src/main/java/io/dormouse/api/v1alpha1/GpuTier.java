package io.dormouse.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One kind of GPU capacity (a node pool). Cluster-scoped: tiers are shared by every namespace. */
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
}
