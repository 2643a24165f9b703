package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** One node requirement of a Karpenter NodePool, as Karpenter's own requirements read. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "self.operator != 'In' || (has(self.values) && size(self.values) > 0)",
    message = "operator In needs at least one value")
@ValidationRule(
    value =
        "!(self.operator == 'Exists' || self.operator == 'DoesNotExist') || !has(self.values) || size(self.values) == 0",
    message = "operators Exists and DoesNotExist take no values")
@ValidationRule(
    value =
        "!(self.operator == 'Gt' || self.operator == 'Lt' || self.operator == 'Gte' || self.operator == 'Lte') || (has(self.values) && size(self.values) == 1 && self.values[0].matches('^[0-9]+$'))",
    message = "operators Gt, Lt, Gte and Lte take exactly one non-negative integer value")
@ValidationRule(
    value =
        "!has(self.minValues) || (self.operator == 'In' && has(self.values) && size(self.values) >= self.minValues)",
    message = "minValues needs operator In with at least that many values")
public class NodeRequirement {

  /** What Karpenter's requirement operators mean; Gte and Lte compare integers as Gt and Lt. */
  public enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
    Gte,
    Lte
  }

  static final String LABEL_KEY =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";

  static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

  @JsonPropertyDescription(
      "The node label the requirement applies to, e.g. karpenter.k8s.aws/instance-gpu-name.")
  @Required
  @Size(min = 1, max = 316)
  @Pattern(LABEL_KEY)
  @ValidationRule(
      value = "self != 'karpenter.sh/capacity-type' && self != 'dormouse.io/tier'",
      message = "is set by the operator, from spec.capacityType and the tier's name")
  @ValidationRule(
      value =
          "self == 'karpenter.sh/capacity-type' || (!self.matches('^([^/]*[.])?karpenter[.]sh/')"
              + " && self != 'kubernetes.io/hostname')",
      message = "is restricted by Karpenter")
  private String key;

  @JsonPropertyDescription("In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte or Lte.")
  @Required
  private Operator operator;

  @JsonPropertyDescription("The label values; In and NotIn take a list, Gt to Lte one integer.")
  @Size(max = 100)
  private List<@Size(max = 63) @Pattern(LABEL_VALUE) String> values = new ArrayList<>();

  @JsonPropertyDescription(
      "With operator In: at least this many of the values must stay possible (Karpenter's"
          + " flexibility floor, e.g. for spot).")
  @Min(1)
  @Max(50)
  @JsonProperty("minValues")
  private Integer minValues;

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public Operator getOperator() {
    return operator;
  }

  public void setOperator(Operator operator) {
    this.operator = operator;
  }

  public List<String> getValues() {
    return values;
  }

  public void setValues(List<String> values) {
    this.values = values;
  }

  public Integer getMinValues() {
    return minValues;
  }

  public void setMinValues(Integer minValues) {
    this.minValues = minValues;
  }
}
