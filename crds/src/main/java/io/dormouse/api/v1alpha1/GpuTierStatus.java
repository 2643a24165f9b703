package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The observed use of a GPU tier, written by the operator. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GpuTierStatus {

  @JsonPropertyDescription("GPUs asked for by engine replicas on this tier.")
  private Integer gpusInUse;

  @JsonPropertyDescription("Endpoints (namespace/name) with replicas on this tier.")
  private List<String> endpoints = new ArrayList<>();

  public Integer getGpusInUse() {
    return gpusInUse;
  }

  public void setGpusInUse(Integer gpusInUse) {
    this.gpusInUse = gpusInUse;
  }

  public List<String> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<String> endpoints) {
    this.endpoints = endpoints;
  }
}
