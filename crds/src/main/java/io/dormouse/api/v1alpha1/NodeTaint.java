package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A taint the tier's NodePool puts on its nodes; the tier's engine pods tolerate it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class NodeTaint {

  /** What a taint does to pods that do not tolerate it. */
  public enum Effect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute
  }

  @JsonPropertyDescription("The taint's key, e.g. nvidia.com/gpu.")
  @Required
  @Size(min = 1, max = 316)
  @Pattern(NodeRequirement.LABEL_KEY)
  private String key;

  @JsonPropertyDescription("The taint's value, if any.")
  @Size(max = 63)
  @Pattern(NodeRequirement.LABEL_VALUE)
  private String value;

  @JsonPropertyDescription("NoSchedule, PreferNoSchedule or NoExecute.")
  @Required
  private Effect effect;

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public Effect getEffect() {
    return effect;
  }

  public void setEffect(Effect effect) {
    this.effect = effect;
  }
}
