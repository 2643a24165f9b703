package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The platform team's Karpenter node class (EC2NodeClass, AKSNodeClass...) a NodePool uses. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class NodeClassReference {

  @JsonPropertyDescription("API group of the node class, e.g. karpenter.k8s.aws.")
  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[^/]*$")
  private String group;

  @JsonPropertyDescription("Kind of the node class, e.g. EC2NodeClass or AKSNodeClass.")
  @Required
  @Size(min = 1, max = 63)
  private String kind;

  @JsonPropertyDescription("Name of the node class.")
  @Required
  @Size(min = 1, max = 253)
  private String name;

  public String getGroup() {
    return group;
  }

  public void setGroup(String group) {
    this.group = group;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
