package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The state of one tier of an endpoint. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TierStatus {

  @JsonPropertyDescription("The GpuTier.")
  private String name;

  @JsonPropertyDescription("Idle, Starting, Ready, Draining or Unavailable.")
  private TierState state;

  @JsonPropertyDescription("Replicas asked of this tier.")
  private Integer replicas;

  @JsonPropertyDescription("Ready replicas on this tier.")
  private Integer readyReplicas;

  @JsonPropertyDescription("When the current attempt to start this tier began (RFC 3339).")
  private String attemptStartedTime;

  @JsonPropertyDescription("When the endpoint last tried to move back up to this tier (RFC 3339).")
  private String lastRetryTime;

  @JsonPropertyDescription(
      "When traffic moved to a higher tier and this tier began to drain (RFC 3339).")
  private String drainStartedTime;

  @JsonPropertyDescription("The tier is backed off until this time (RFC 3339).")
  private String unavailableUntil;

  @JsonPropertyDescription("Why the tier is in its state, in one CamelCase word.")
  private String reason;

  @JsonPropertyDescription("Why the tier is in its state, for people.")
  private String message;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public TierState getState() {
    return state;
  }

  public void setState(TierState state) {
    this.state = state;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public String getAttemptStartedTime() {
    return attemptStartedTime;
  }

  public void setAttemptStartedTime(String attemptStartedTime) {
    this.attemptStartedTime = attemptStartedTime;
  }

  public String getLastRetryTime() {
    return lastRetryTime;
  }

  public void setLastRetryTime(String lastRetryTime) {
    this.lastRetryTime = lastRetryTime;
  }

  public String getDrainStartedTime() {
    return drainStartedTime;
  }

  public void setDrainStartedTime(String drainStartedTime) {
    this.drainStartedTime = drainStartedTime;
  }

  public String getUnavailableUntil() {
    return unavailableUntil;
  }

  public void setUnavailableUntil(String unavailableUntil) {
    this.unavailableUntil = unavailableUntil;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
