package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator knows of a Webhook's deliveries. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class WebhookStatus {

  @JsonPropertyDescription("The generation these conditions describe.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready (the URL and Secret are usable) and DeliveryFailing (deliveries are being retried or"
          + " were given up).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("When a delivery last succeeded (RFC 3339).")
  private String lastSuccessTime;

  @JsonPropertyDescription("Failed attempts since the last success.")
  private Integer consecutiveFailures;

  @JsonPropertyDescription("Events waiting to be delivered.")
  private Integer pendingDeliveries;

  @JsonPropertyDescription(
      "The generation a 410 Gone answer disabled; a change of the spec enables the Webhook again.")
  private Long disabledGeneration;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getLastSuccessTime() {
    return lastSuccessTime;
  }

  public void setLastSuccessTime(String lastSuccessTime) {
    this.lastSuccessTime = lastSuccessTime;
  }

  public Integer getConsecutiveFailures() {
    return consecutiveFailures;
  }

  public void setConsecutiveFailures(Integer consecutiveFailures) {
    this.consecutiveFailures = consecutiveFailures;
  }

  public Integer getPendingDeliveries() {
    return pendingDeliveries;
  }

  public void setPendingDeliveries(Integer pendingDeliveries) {
    this.pendingDeliveries = pendingDeliveries;
  }

  public Long getDisabledGeneration() {
    return disabledGeneration;
  }

  public void setDisabledGeneration(Long disabledGeneration) {
    this.disabledGeneration = disabledGeneration;
  }
}
