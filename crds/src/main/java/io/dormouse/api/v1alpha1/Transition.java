package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One phase transition of an endpoint. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Transition {

  @JsonPropertyDescription("When it happened (RFC 3339).")
  private String time;

  @JsonPropertyDescription("The phase before.")
  private Phase from;

  @JsonPropertyDescription("The phase after.")
  private Phase to;

  @JsonPropertyDescription("The tier concerned, if any.")
  private String tier;

  @JsonPropertyDescription("Why, in one CamelCase word.")
  private String reason;

  @JsonPropertyDescription("Why, for people.")
  private String message;

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public Phase getFrom() {
    return from;
  }

  public void setFrom(Phase from) {
    this.from = from;
  }

  public Phase getTo() {
    return to;
  }

  public void setTo(Phase to) {
    this.to = to;
  }

  public String getTier() {
    return tier;
  }

  public void setTier(String tier) {
    this.tier = tier;
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
