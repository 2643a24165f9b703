package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.Annotations;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A subscription: the namespace's endpoint events, as signed CloudEvents, to one URL. */
@SchemaCustomizer(
    value = SchemaCustomizer.MergePatchCustomizer.class,
    input =
        "{\"description\": \"A subscriber to the lifecycle events of the endpoints of its namespace: CloudEvents posted to a URL, signed per Standard Webhooks.\"}")
@Annotations("helm.sh/resource-policy=keep")
@JsonIgnoreProperties(ignoreUnknown = true)
@Group(InferenceEndpoint.GROUP)
@Version(InferenceEndpoint.VERSION)
@Kind("Webhook")
@Singular("webhook")
@Plural("webhooks")
@ShortNames("wh")
@AdditionalPrinterColumn(name = "URL", jsonPath = ".spec.url")
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "FAILING",
    jsonPath = ".status.conditions[?(@.type==\"DeliveryFailing\")].status")
@AdditionalPrinterColumn(
    name = "PENDING",
    jsonPath = ".status.pendingDeliveries",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "LAST-SUCCESS",
    jsonPath = ".status.lastSuccessTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Webhook extends CustomResource<WebhookSpec, WebhookStatus> implements Namespaced {

  @Override
  protected WebhookSpec initSpec() {
    return new WebhookSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Where to post, the Secret that signs, which event types and which endpoints.")
  @Required
  public WebhookSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Ready and DeliveryFailing, the last success, consecutive failures and pending deliveries,"
          + " written by the operator.")
  public WebhookStatus getStatus() {
    return super.getStatus();
  }
}
