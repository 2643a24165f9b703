package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** The observed use of a GPU tier, written by the operator. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GpuTierStatus {

  @JsonPropertyDescription("The spec generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("GPUs asked for by engine replicas on this tier.")
  private Integer gpusInUse;

  @JsonPropertyDescription("Endpoints (namespace/name) with replicas on this tier.")
  private List<String> endpoints = new ArrayList<>();

  @JsonPropertyDescription(
      "Nodes labelled dormouse.io/tier with this tier's name (the nodes of its NodePool).")
  private Integer nodes;

  @JsonPropertyDescription("GPUs on those nodes: what the tier pays for, busy or idle.")
  private Integer gpusProvisioned;

  @JsonPropertyDescription("The Karpenter NodePool the operator owns for the tier, if any.")
  private String nodePool;

  @JsonPropertyDescription(
      "NodePoolReady (for a tier with spec.nodePool), with the generation it observed.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

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

  public Integer getNodes() {
    return nodes;
  }

  public void setNodes(Integer nodes) {
    this.nodes = nodes;
  }

  public Integer getGpusProvisioned() {
    return gpusProvisioned;
  }

  public void setGpusProvisioned(Integer gpusProvisioned) {
    this.gpusProvisioned = gpusProvisioned;
  }

  public String getNodePool() {
    return nodePool;
  }

  public void setNodePool(String nodePool) {
    this.nodePool = nodePool;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
