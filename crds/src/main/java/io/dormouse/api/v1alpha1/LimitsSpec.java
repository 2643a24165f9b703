package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Concurrency and per-project rate limits enforced by the gateway. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class LimitsSpec {

  @JsonPropertyDescription(
      "Requests in flight at once on one replica; more wait in the gateway. Default 500.")
  @Default("500")
  @Min(1)
  private int maxConcurrentRequestsPerReplica = 500;

  @JsonPropertyDescription(
      "Requests per second each project may send to this endpoint. Default 100.")
  @Default("100")
  @ValidationRule(value = "self > 0", message = "must be greater than 0")
  private double requestsPerSecond = 100;

  @JsonPropertyDescription(
      "Prompt plus completion tokens per second each project may use on this endpoint. Default 10000.")
  @Default("10000")
  @ValidationRule(value = "self > 0", message = "must be greater than 0")
  private double tokensPerSecond = 10000;

  @JsonPropertyDescription(
      "Requests a gateway replica holds for this endpoint while it wakes or is saturated; beyond it 503 with Retry-After. Default 1000.")
  @Default("1000")
  @Min(1)
  private int maxWaitingRequests = 1000;

  public int getMaxConcurrentRequestsPerReplica() {
    return maxConcurrentRequestsPerReplica;
  }

  public void setMaxConcurrentRequestsPerReplica(int maxConcurrentRequestsPerReplica) {
    this.maxConcurrentRequestsPerReplica = maxConcurrentRequestsPerReplica;
  }

  public double getRequestsPerSecond() {
    return requestsPerSecond;
  }

  public void setRequestsPerSecond(double requestsPerSecond) {
    this.requestsPerSecond = requestsPerSecond;
  }

  public double getTokensPerSecond() {
    return tokensPerSecond;
  }

  public void setTokensPerSecond(double tokensPerSecond) {
    this.tokensPerSecond = tokensPerSecond;
  }

  public int getMaxWaitingRequests() {
    return maxWaitingRequests;
  }

  public void setMaxWaitingRequests(int maxWaitingRequests) {
    this.maxWaitingRequests = maxWaitingRequests;
  }
}
