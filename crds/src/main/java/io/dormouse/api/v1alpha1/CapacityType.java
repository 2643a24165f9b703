package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a node pool's GPUs are bought. */
public enum CapacityType {
  @JsonProperty("spot")
  SPOT,
  @JsonProperty("on-demand")
  ON_DEMAND,
  @JsonProperty("reserved")
  RESERVED
}
