package io.dormouse.operator.lifecycle;

import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.operator.scaling.LoadSeries;
import java.time.Instant;
import java.util.Map;

/**
 * Everything the decision looks at for one endpoint.
 *
 * @param previous the status written last time, or null for a new endpoint
 * @param tiers what runs on each tier of the spec (absent tiers have nothing)
 * @param leaseRenewTime the activity Lease's renewTime, or null when no gateway wrote one
 * @param capacity the GpuTiers that exist, by name; a spec tier missing here does not exist
 * @param tenancy whether the endpoint owns its served name, and what its namespace allows
 * @param load requests in flight or queued, summed over the gateway replicas, as a series
 */
public record Observation(
    Intent intent,
    InferenceEndpointStatus previous,
    Map<String, TierObservation> tiers,
    Instant leaseRenewTime,
    Map<String, TierCapacity> capacity,
    Tenancy tenancy,
    LoadSeries load) {

  public Observation {
    tiers = Map.copyOf(tiers);
    capacity = Map.copyOf(capacity);
    tenancy = tenancy == null ? Tenancy.NONE : tenancy;
    load = load == null ? LoadSeries.idleSince(Instant.EPOCH) : load;
  }

  /** No load seen. */
  public Observation(
      Intent intent,
      InferenceEndpointStatus previous,
      Map<String, TierObservation> tiers,
      Instant leaseRenewTime,
      Map<String, TierCapacity> capacity,
      Tenancy tenancy) {
    this(intent, previous, tiers, leaseRenewTime, capacity, tenancy, null);
  }

  /** An endpoint that owns its served name in an unrestricted namespace. */
  public Observation(
      Intent intent,
      InferenceEndpointStatus previous,
      Map<String, TierObservation> tiers,
      Instant leaseRenewTime,
      Map<String, TierCapacity> capacity) {
    this(intent, previous, tiers, leaseRenewTime, capacity, Tenancy.NONE, null);
  }

  TierObservation tier(String name) {
    return tiers.getOrDefault(name, TierObservation.absent(name));
  }
}
