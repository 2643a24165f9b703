package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dormouse.api.events.EventType;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/** Where a Webhook posts, how it is signed and what it receives. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value =
        "self.url.startsWith('https://') || (self.url.startsWith('http://') && has(self.insecure)"
            + " && self.insecure)",
    fieldPath = ".url",
    message = "must be https://, or http:// with insecure: true")
@ValidationRule(
    value =
        "!self.url.startsWith('http://') ||"
            + " self.url.matches('^http://[a-z0-9]([-a-z0-9]*[a-z0-9])?[.][a-z0-9]([-a-z0-9]*[a-z0-9])?[.]svc([.]cluster[.]local)?(:[0-9]{1,5})?(/.*)?$')",
    fieldPath = ".url",
    message =
        "http:// reaches only a Service inside the cluster: http://<service>.<namespace>.svc[.cluster.local][:port]/path")
public class WebhookSpec {

  @JsonPropertyDescription(
      "Where events are posted: https://, or http:// to a Service inside the cluster with"
          + " insecure: true. No user or password in it: the signature authenticates.")
  @Required
  @Size(max = 2048)
  @Pattern("^https?://[^\\s/?#@]+(/[^\\s@]*)?$")
  private String url;

  @JsonPropertyDescription(
      "Allows an http:// URL, to a Service inside the cluster only. Default false.")
  @Default("false")
  private Boolean insecure = false;

  @JsonPropertyDescription(
      "The Secret in this namespace that holds the signing secret: key 'secret' (whsec_ and"
          + " base64), and during a rotation key 'previous' as well; each signs every delivery.")
  @Required
  private SecretReference secretRef;

  @JsonPropertyDescription(
      "The event types to receive (io.dormouse.endpoint.*, io.dormouse.budget.*); empty for all.")
  @Size(max = 32)
  @ValidationRule(
      value = "self.all(t, t in " + EventType.CEL_LIST + ")",
      message = "each type must be one of the io.dormouse.* event types (docs/webhooks.md)")
  private List<String> types = new ArrayList<>();

  @JsonPropertyDescription(
      "Only the endpoints whose labels match; unset for every endpoint of the namespace.")
  private LabelSelector endpointSelector;

  @JsonPropertyDescription(
      "The events of every namespace. Honoured only for a Webhook in the operator's namespace (the"
          + " platform team's); elsewhere it sets the Ready condition to False. Default false.")
  @Default("false")
  private Boolean allNamespaces = false;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public Boolean getInsecure() {
    return insecure;
  }

  public void setInsecure(Boolean insecure) {
    this.insecure = insecure;
  }

  public boolean isInsecure() {
    return Boolean.TRUE.equals(insecure);
  }

  public SecretReference getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretReference secretRef) {
    this.secretRef = secretRef;
  }

  public List<String> getTypes() {
    return types;
  }

  public void setTypes(List<String> types) {
    this.types = types;
  }

  public LabelSelector getEndpointSelector() {
    return endpointSelector;
  }

  public void setEndpointSelector(LabelSelector endpointSelector) {
    this.endpointSelector = endpointSelector;
  }

  public Boolean getAllNamespaces() {
    return allNamespaces;
  }

  public void setAllNamespaces(Boolean allNamespaces) {
    this.allNamespaces = allNamespaces;
  }

  public boolean isAllNamespaces() {
    return Boolean.TRUE.equals(allNamespaces);
  }

  /** A Secret of the Webhook's own namespace. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class SecretReference {

    @JsonPropertyDescription("The Secret's name.")
    @Required
    @Size(min = 1, max = 253)
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    private String name;

    public SecretReference() {}

    public SecretReference(String name) {
      this.name = name;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }
}
