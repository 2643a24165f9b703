package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** The desired state of an inference endpoint. */
@JsonIgnoreProperties(ignoreUnknown = true)
// Two forms of the replica count: the shorthand (replicas) or autoscaling (scaling.min/max/target).
// replicas has no schema default so that CEL can tell whether it was written.
@ValidationRule(
    value =
        "!has(self.replicas) || !has(self.scaling) || !(has(self.scaling.minReplicas)"
            + " || has(self.scaling.maxReplicas) || has(self.scaling.targetInFlightPerReplica))",
    fieldPath = ".replicas",
    message =
        "must not be set with scaling.minReplicas, scaling.maxReplicas or"
            + " scaling.targetInFlightPerReplica: replicas is the shorthand for minReplicas ="
            + " maxReplicas = replicas while awake; use one form")
public class InferenceEndpointSpec {

  @JsonPropertyDescription("Which model to serve and the name clients call it by.")
  @Required
  private ModelSpec model = new ModelSpec();

  @JsonPropertyDescription("The vLLM engine that serves the model.")
  @Default("{}")
  private EngineSpec engine = new EngineSpec();

  @JsonPropertyDescription(
      "Engine replicas while the endpoint is awake: the shorthand for scaling.minReplicas = 0 (it"
          + " hibernates) and a fixed count when awake. Default 1. Not with scaling.minReplicas,"
          + " maxReplicas or targetInFlightPerReplica.")
  @Min(1)
  @Max(64)
  private Integer replicas;

  @JsonPropertyDescription(
      "GpuTier names in priority order: the endpoint wakes on the first usable tier and falls back to the next.")
  @Required
  @Size(min = 1, max = 8)
  @ValidationRule(
      value = "self.all(t, self.exists_one(u, u == t))",
      message = "must not name a tier twice")
  @ValidationRule(
      value = "self.all(t, t.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'))",
      message = "each tier must be the name of a GpuTier (a lowercase DNS label)")
  // Bounded items keep the CEL rules over them within the API server's cost budget.
  private List<@Size(max = 63) String> tiers = new ArrayList<>();

  @JsonPropertyDescription(
      "When the endpoint sleeps, how long a wake may take, tier fallback timing, and autoscaling.")
  @Default("{}")
  private ScalingSpec scaling = new ScalingSpec();

  @JsonPropertyDescription("Concurrency and per-project rate limits enforced by the gateway.")
  @Default("{}")
  private LimitsSpec limits = new LimitsSpec();

  @JsonPropertyDescription("Which projects' API keys may call this endpoint.")
  @Required
  private AccessSpec access = new AccessSpec();

  @JsonPropertyDescription("While true, alerts for this endpoint are silenced.")
  @Default("false")
  private boolean maintenance = false;

  public ModelSpec getModel() {
    return model;
  }

  public void setModel(ModelSpec model) {
    this.model = model;
  }

  public EngineSpec getEngine() {
    return engine;
  }

  public void setEngine(EngineSpec engine) {
    this.engine = engine;
  }

  /** As written: null when unset (1 in the shorthand form, unused in the autoscaling form). */
  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public List<String> getTiers() {
    return tiers;
  }

  public void setTiers(List<String> tiers) {
    this.tiers = tiers;
  }

  public ScalingSpec getScaling() {
    return scaling;
  }

  public void setScaling(ScalingSpec scaling) {
    this.scaling = scaling;
  }

  public LimitsSpec getLimits() {
    return limits;
  }

  public void setLimits(LimitsSpec limits) {
    this.limits = limits;
  }

  public AccessSpec getAccess() {
    return access;
  }

  public void setAccess(AccessSpec access) {
    this.access = access;
  }

  public boolean isMaintenance() {
    return maintenance;
  }

  public void setMaintenance(boolean maintenance) {
    this.maintenance = maintenance;
  }
}
