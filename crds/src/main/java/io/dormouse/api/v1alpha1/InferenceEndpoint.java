package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.Annotations;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One served model that sleeps when idle and wakes on request. */
@SchemaCustomizer(
    value = SchemaCustomizer.MergePatchCustomizer.class,
    input =
        "{\"description\": \"A GPU inference endpoint for one model: it sleeps at zero replicas when idle and wakes on the first request.\"}")
// The name becomes a label value and the head of Service names, so it must be a DNS-1035 label.
@ValidationRule(
    value =
        "size(self.metadata.name) <= 63 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    fieldPath = ".metadata.name",
    message =
        "must be a lowercase DNS label that starts with a letter, at most 63 characters (it names the engine Services)")
// Helm ships the CRDs as templates so upgrades reach them; keep them on uninstall, since
// deleting a CRD deletes every endpoint and tier with it.
@Annotations("helm.sh/resource-policy=keep")
@JsonIgnoreProperties(ignoreUnknown = true)
@Group(InferenceEndpoint.GROUP)
@Version(InferenceEndpoint.VERSION)
@Kind("InferenceEndpoint")
@Singular("inferenceendpoint")
@Plural("inferenceendpoints")
@ShortNames("ie")
// Printed in this order (CrdGeneration keeps it): what clients send, what runs, how it is doing.
@AdditionalPrinterColumn(name = "SERVED-NAME", jsonPath = ".status.servedName")
@AdditionalPrinterColumn(name = "MODEL", jsonPath = ".spec.model.name")
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
@AdditionalPrinterColumn(name = "COST-TODAY", jsonPath = ".status.usage.costToday")
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

  // Overridden only to carry the descriptions that `kubectl explain ie.spec` shows.
  @Override
  @JsonPropertyDescription(
      "The model to serve, the GPU tiers to run it on, when it sleeps and who may call it.")
  @Required
  public InferenceEndpointSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "The endpoint's phase, serving tier, replicas and recent transitions, written by the operator.")
  public InferenceEndpointStatus getStatus() {
    return super.getStatus();
  }
}
