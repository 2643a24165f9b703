package io.dormouse.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One served model that sleeps when idle and wakes on request. */
@Group(InferenceEndpoint.GROUP)
@Version(InferenceEndpoint.VERSION)
@Kind("InferenceEndpoint")
@Singular("inferenceendpoint")
@Plural("inferenceendpoints")
@ShortNames("ie")
@AdditionalPrinterColumn(name = "MODEL", jsonPath = ".spec.model.name", priority = 0)
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "TIER", jsonPath = ".status.activeTier")
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.readyReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "LAST-ACTIVITY",
    jsonPath = ".status.lastActivityTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class InferenceEndpoint
    extends CustomResource<InferenceEndpointSpec, InferenceEndpointStatus> implements Namespaced {

  public static final String GROUP = "dormouse.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected InferenceEndpointSpec initSpec() {
    return new InferenceEndpointSpec();
  }
}
