package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The last wake, phase by phase. The phases follow one another and add up to {@code total}; each is
 * a duration such as {@code 1m12.5s} ({@code 0s} when the wake did not need it, e.g. no node had to
 * be provisioned). docs/waking.md says how to shorten each.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WakeRecord {

  @JsonPropertyDescription("The tier whose replica became ready.")
  private String tier;

  @JsonPropertyDescription("When the wake began (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the operator saw the first ready replica (RFC 3339).")
  private String readyAt;

  @JsonPropertyDescription("From the start of the wake to the first ready replica.")
  private String total;

  @JsonPropertyDescription("Spent on tiers given up on before this one (TierFallback).")
  private String tierFallback;

  @JsonPropertyDescription(
      "The pod unschedulable until a new node was ready (0s on an existing node).")
  private String nodeProvisioning;

  @JsonPropertyDescription("Until the pod was bound to a node.")
  private String scheduling;

  @JsonPropertyDescription("Pulling the engine image (0s when the node had it).")
  private String imagePull;

  @JsonPropertyDescription("Creating and starting the container until the engine listened.")
  private String containerStart;

  @JsonPropertyDescription("The engine listening until /health answered OK (the pod Ready).")
  private String modelLoad;

  @JsonPropertyDescription(
      "The pod Ready until the operator saw the ready replica (the EndpointSlice is updated from the same change).")
  private String registration;

  public String getTier() {
    return tier;
  }

  public void setTier(String tier) {
    this.tier = tier;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getReadyAt() {
    return readyAt;
  }

  public void setReadyAt(String readyAt) {
    this.readyAt = readyAt;
  }

  public String getTotal() {
    return total;
  }

  public void setTotal(String total) {
    this.total = total;
  }

  public String getTierFallback() {
    return tierFallback;
  }

  public void setTierFallback(String tierFallback) {
    this.tierFallback = tierFallback;
  }

  public String getNodeProvisioning() {
    return nodeProvisioning;
  }

  public void setNodeProvisioning(String nodeProvisioning) {
    this.nodeProvisioning = nodeProvisioning;
  }

  public String getScheduling() {
    return scheduling;
  }

  public void setScheduling(String scheduling) {
    this.scheduling = scheduling;
  }

  public String getImagePull() {
    return imagePull;
  }

  public void setImagePull(String imagePull) {
    this.imagePull = imagePull;
  }

  public String getContainerStart() {
    return containerStart;
  }

  public void setContainerStart(String containerStart) {
    this.containerStart = containerStart;
  }

  public String getModelLoad() {
    return modelLoad;
  }

  public void setModelLoad(String modelLoad) {
    this.modelLoad = modelLoad;
  }

  public String getRegistration() {
    return registration;
  }

  public void setRegistration(String registration) {
    this.registration = registration;
  }
}
