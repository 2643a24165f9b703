package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dormouse.api.duration.GoDuration;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.time.Duration;

/**
 * When the endpoint sleeps, how long a wake may take, tier fallback timing, and autoscaling on load
 * between minReplicas and maxReplicas.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value =
        "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
    fieldPath = ".minReplicas",
    message = "must not exceed maxReplicas")
public class ScalingSpec {

  /** Requests in flight or queued per replica aimed at when the autoscaling form omits it. */
  public static final int DEFAULT_TARGET_IN_FLIGHT_PER_REPLICA = 10;

  // The rules test the pattern first so that a malformed value gets the pattern's refusal rather
  // than a CEL evaluation error from duration(). [.] rather than \. reads the same in CEL.
  static final String DURATION = "^([0-9]+([.][0-9]+)?(ms|s|m|h))+$";

  @JsonPropertyDescription(
      "With no request for this long the endpoint hibernates to zero replicas. A duration such as 90s, 15m or 1h. Default 15m.")
  @Default("15m")
  @Pattern(DURATION)
  @ValidationRule(
      value = "!self.matches('" + DURATION + "') || duration(self) > duration('0s')",
      message = "must be a positive duration")
  private String idleTimeout = "15m";

  @JsonPropertyDescription(
      "How long the gateway holds a request while the endpoint wakes before answering 504. A duration such as 90s, 15m or 1h. Default 10m.")
  @Default("10m")
  @Pattern(DURATION)
  @ValidationRule(
      value = "!self.matches('" + DURATION + "') || duration(self) > duration('0s')",
      message = "must be a positive duration")
  private String wakeTimeout = "10m";

  @JsonPropertyDescription(
      "How long a tier may stay unschedulable before the next tier is tried. A duration such as 90s, 15m or 1h. Default 5m.")
  @Default("5m")
  @Pattern(DURATION)
  @ValidationRule(
      value = "!self.matches('" + DURATION + "') || duration(self) > duration('0s')",
      message = "must be a positive duration")
  private String tierStartTimeout = "5m";

  @JsonPropertyDescription(
      "How often an endpoint serving on a lower tier tries to move back to a higher one. A duration such as 90s, 15m or 1h. Default 30m.")
  @Default("30m")
  @Pattern(DURATION)
  @ValidationRule(
      value = "!self.matches('" + DURATION + "') || duration(self) > duration('0s')",
      message = "must be a positive duration")
  private String tierRetryInterval = "30m";

  @JsonPropertyDescription("Never hibernate: keep replicas running even when idle.")
  @Default("false")
  private boolean alwaysOn = false;

  @JsonPropertyDescription(
      "Autoscaling: the fewest engine replicas. 0 (the default of this form) lets the endpoint"
          + " hibernate after idleTimeout, with at least 1 replica while awake; 1 or more keeps that"
          + " many running even when idle. Not with spec.replicas.")
  @Min(0)
  @Max(64)
  private Integer minReplicas;

  @JsonPropertyDescription(
      "Autoscaling: the most engine replicas under load; replicas the active tier's maxGpus"
          + " cannot hold spill over to the next usable tier. Default max(minReplicas, 1). Not with"
          + " spec.replicas.")
  @Min(1)
  @Max(64)
  private Integer maxReplicas;

  @JsonPropertyDescription(
      "Autoscaling: the requests in flight or queued per replica (summed over every gateway"
          + " replica) that the replica count aims for. Default 10. Not with spec.replicas.")
  @Min(1)
  private Integer targetInFlightPerReplica;

  @JsonPropertyDescription(
      "Autoscaling: how long the load must stay low before replicas are removed (scale-up is at"
          + " once). A duration such as 90s, 5m or 1h. Default 5m.")
  @Default("5m")
  @Pattern(DURATION)
  @ValidationRule(
      value = "!self.matches('" + DURATION + "') || duration(self) > duration('0s')",
      message = "must be a positive duration")
  private String scaleDownDelay = "5m";

  public String getIdleTimeout() {
    return idleTimeout;
  }

  public void setIdleTimeout(String idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  public String getWakeTimeout() {
    return wakeTimeout;
  }

  public void setWakeTimeout(String wakeTimeout) {
    this.wakeTimeout = wakeTimeout;
  }

  public String getTierStartTimeout() {
    return tierStartTimeout;
  }

  public void setTierStartTimeout(String tierStartTimeout) {
    this.tierStartTimeout = tierStartTimeout;
  }

  public String getTierRetryInterval() {
    return tierRetryInterval;
  }

  public void setTierRetryInterval(String tierRetryInterval) {
    this.tierRetryInterval = tierRetryInterval;
  }

  public boolean isAlwaysOn() {
    return alwaysOn;
  }

  public void setAlwaysOn(boolean alwaysOn) {
    this.alwaysOn = alwaysOn;
  }

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public Integer getTargetInFlightPerReplica() {
    return targetInFlightPerReplica;
  }

  public void setTargetInFlightPerReplica(Integer targetInFlightPerReplica) {
    this.targetInFlightPerReplica = targetInFlightPerReplica;
  }

  public String getScaleDownDelay() {
    return scaleDownDelay;
  }

  public void setScaleDownDelay(String scaleDownDelay) {
    this.scaleDownDelay = scaleDownDelay;
  }

  /** Whether the autoscaling form is used: any of minReplicas, maxReplicas, target is set. */
  @JsonIgnore
  public boolean autoscaling() {
    return minReplicas != null || maxReplicas != null || targetInFlightPerReplica != null;
  }

  @JsonIgnore
  public Duration scaleDownDelayDuration() {
    return GoDuration.parse(scaleDownDelay);
  }

  @JsonIgnore
  public Duration idleTimeoutDuration() {
    return GoDuration.parse(idleTimeout);
  }

  @JsonIgnore
  public Duration wakeTimeoutDuration() {
    return GoDuration.parse(wakeTimeout);
  }

  @JsonIgnore
  public Duration tierStartTimeoutDuration() {
    return GoDuration.parse(tierStartTimeout);
  }

  @JsonIgnore
  public Duration tierRetryIntervalDuration() {
    return GoDuration.parse(tierRetryInterval);
  }
}
