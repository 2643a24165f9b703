package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** The observed state of an inference endpoint, written by the operator. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InferenceEndpointStatus {

  @JsonPropertyDescription(
      "The model value clients send to reach this endpoint: spec.model.servedName, or metadata.name when that is unset.")
  private String servedName;

  @JsonPropertyDescription("The spec generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Hibernated, Waking, Ready, Degraded, Hibernating or Failed.")
  private Phase phase;

  @JsonPropertyDescription(
      "Why the endpoint is in its phase, in one CamelCase word: the same word as its history entry and Event (docs/concepts.md lists them).")
  private String reason;

  @JsonPropertyDescription("Why the endpoint is in its phase, for people.")
  private String message;

  @JsonPropertyDescription("When the phase last changed (RFC 3339).")
  private String phaseTransitionTime;

  @JsonPropertyDescription("The tier that serves, or is being woken.")
  private String activeTier;

  @JsonPropertyDescription("Engine replicas asked for across tiers.")
  private Integer replicas;

  @JsonPropertyDescription("Engine replicas ready to serve across tiers.")
  private Integer readyReplicas;

  @JsonPropertyDescription(
      "The replica count the endpoint aims for while awake: spec.replicas, or the autoscaler's"
          + " choice between scaling.minReplicas and maxReplicas; spread over tiers when the"
          + " active tier's maxGpus cannot hold them all.")
  private Integer desiredReplicas;

  @JsonPropertyDescription("The latest request or in-flight stream seen by a gateway (RFC 3339).")
  private String lastActivityTime;

  @JsonPropertyDescription(
      "When the operator last decided to hibernate (RFC 3339); activity after it wakes the endpoint.")
  private String lastHibernationTime;

  @JsonPropertyDescription("The state of each tier named in the spec.")
  private List<TierStatus> tiers = new ArrayList<>();

  @JsonPropertyDescription(
      "Ready, Available, Degraded, TiersResolved, PresetResolved, ServedNameOwned, ProjectsAllowed and ScalingLimited, with the generation they observed.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The most recent phase transitions, newest last.")
  private List<Transition> history = new ArrayList<>();

  @JsonPropertyDescription(
      "Today's requests, tokens and GPU cost and the month's cost, from the ledger; written at most once a minute.")
  private EndpointUsage usage;

  @JsonPropertyDescription("The last wake, phase by phase (kubectl describe ie shows it).")
  private WakeRecord lastWake;

  public WakeRecord getLastWake() {
    return lastWake;
  }

  public void setLastWake(WakeRecord lastWake) {
    this.lastWake = lastWake;
  }

  public String getServedName() {
    return servedName;
  }

  public void setServedName(String servedName) {
    this.servedName = servedName;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
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

  public String getPhaseTransitionTime() {
    return phaseTransitionTime;
  }

  public void setPhaseTransitionTime(String phaseTransitionTime) {
    this.phaseTransitionTime = phaseTransitionTime;
  }

  public String getActiveTier() {
    return activeTier;
  }

  public void setActiveTier(String activeTier) {
    this.activeTier = activeTier;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getDesiredReplicas() {
    return desiredReplicas;
  }

  public void setDesiredReplicas(Integer desiredReplicas) {
    this.desiredReplicas = desiredReplicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public String getLastActivityTime() {
    return lastActivityTime;
  }

  public void setLastActivityTime(String lastActivityTime) {
    this.lastActivityTime = lastActivityTime;
  }

  public String getLastHibernationTime() {
    return lastHibernationTime;
  }

  public void setLastHibernationTime(String lastHibernationTime) {
    this.lastHibernationTime = lastHibernationTime;
  }

  public List<TierStatus> getTiers() {
    return tiers;
  }

  public void setTiers(List<TierStatus> tiers) {
    this.tiers = tiers;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public List<Transition> getHistory() {
    return history;
  }

  public void setHistory(List<Transition> history) {
    this.history = history;
  }

  public EndpointUsage getUsage() {
    return usage;
  }

  public void setUsage(EndpointUsage usage) {
    this.usage = usage;
  }
}
