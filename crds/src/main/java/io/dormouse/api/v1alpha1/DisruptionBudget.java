package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** How many of the pool's nodes Karpenter may take down at once, and when; Karpenter's Budget. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "has(self.schedule) == has(self.duration)",
    message = "schedule and duration must be set together")
public class DisruptionBudget {

  /** Why Karpenter takes a node down. */
  public enum Reason {
    Underutilized,
    Empty,
    Drifted
  }

  @JsonPropertyDescription(
      "At most this many nodes (a number, or a percentage such as 10%) disrupted at once.")
  @Required
  @Pattern("^((100|[0-9]{1,2})%|[0-9]+)$")
  private String nodes;

  @JsonPropertyDescription(
      "The disruption reasons the budget applies to (Underutilized, Empty, Drifted); all when"
          + " empty.")
  @Size(max = 3)
  private List<Reason> reasons = new ArrayList<>();

  @JsonPropertyDescription(
      "When the budget starts to apply, in cron syntax (UTC), e.g. 0 9 * * mon-fri; always when"
          + " unset.")
  @Size(max = 128)
  @Pattern(
      "^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\\s(.+)\\s(.+)\\s(.+)\\s(.+))$")
  private String schedule;

  @JsonPropertyDescription(
      "How long the budget applies from each schedule hit, in hours and minutes, e.g. 8h or 1h30m.")
  @Pattern("^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$")
  private String duration;

  public String getNodes() {
    return nodes;
  }

  public void setNodes(String nodes) {
    this.nodes = nodes;
  }

  public List<Reason> getReasons() {
    return reasons;
  }

  public void setReasons(List<Reason> reasons) {
    this.reasons = reasons;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }
}
