package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * Today's usage and cost of an endpoint, from the ledger's daily records (UTC days). Written by the
 * operator at most once a minute; absent while the ledger is off.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointUsage {

  @JsonPropertyDescription("Requests admitted today (UTC) across projects.")
  private Long requestsToday;

  @JsonPropertyDescription("Prompt tokens today (UTC).")
  private Long inputTokensToday;

  @JsonPropertyDescription("Completion tokens today (UTC).")
  private Long outputTokensToday;

  @JsonPropertyDescription("GPU cost today (UTC), a decimal string in currency.")
  private String costToday;

  @JsonPropertyDescription(
      "GPU cost since the first of the month (UTC), a decimal string in currency.")
  private String costMonthToDate;

  @JsonPropertyDescription("The GpuTiers' currency (ISO 4217), unset before any GPU time.")
  private String currency;

  @JsonPropertyDescription("When these figures were written (RFC 3339).")
  private String updatedTime;

  public Long getRequestsToday() {
    return requestsToday;
  }

  public void setRequestsToday(Long requestsToday) {
    this.requestsToday = requestsToday;
  }

  public Long getInputTokensToday() {
    return inputTokensToday;
  }

  public void setInputTokensToday(Long inputTokensToday) {
    this.inputTokensToday = inputTokensToday;
  }

  public Long getOutputTokensToday() {
    return outputTokensToday;
  }

  public void setOutputTokensToday(Long outputTokensToday) {
    this.outputTokensToday = outputTokensToday;
  }

  public String getCostToday() {
    return costToday;
  }

  public void setCostToday(String costToday) {
    this.costToday = costToday;
  }

  public String getCostMonthToDate() {
    return costMonthToDate;
  }

  public void setCostMonthToDate(String costMonthToDate) {
    this.costMonthToDate = costMonthToDate;
  }

  public String getCurrency() {
    return currency;
  }

  public void setCurrency(String currency) {
    this.currency = currency;
  }

  public String getUpdatedTime() {
    return updatedTime;
  }

  public void setUpdatedTime(String updatedTime) {
    this.updatedTime = updatedTime;
  }

  /** The same figures, whenever they were written. */
  public boolean sameFigures(EndpointUsage other) {
    return other != null
        && Objects.equals(requestsToday, other.requestsToday)
        && Objects.equals(inputTokensToday, other.inputTokensToday)
        && Objects.equals(outputTokensToday, other.outputTokensToday)
        && Objects.equals(costToday, other.costToday)
        && Objects.equals(costMonthToDate, other.costMonthToDate)
        && Objects.equals(currency, other.currency);
  }
}
