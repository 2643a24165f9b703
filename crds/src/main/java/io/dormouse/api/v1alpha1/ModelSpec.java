package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Which model to serve and the name clients call it by. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "has(self.name) || has(self.preset)",
    message = "model.name is required unless model.preset is set")
public class ModelSpec {

  @JsonPropertyDescription(
      "Model id or path the engine loads, e.g. meta-llama/Meta-Llama-3-8B-Instruct; no whitespace. Required unless preset is set.")
  @Size(min = 1, max = 512)
  @Pattern("^\\S*$")
  private String name;

  @JsonPropertyDescription(
      "The model value clients send in requests. Letters, digits and . _ : / -, at most 128 characters. Defaults to metadata.name.")
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")
  private String servedName;

  @JsonPropertyDescription(
      "A preset from the operator's model catalog; it fills model, engine params and GPUs per replica. Fields set in this spec win over the preset's.")
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  private String preset;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getServedName() {
    return servedName;
  }

  public void setServedName(String servedName) {
    this.servedName = servedName;
  }

  public String getPreset() {
    return preset;
  }

  public void setPreset(String preset) {
    this.preset = preset;
  }
}
