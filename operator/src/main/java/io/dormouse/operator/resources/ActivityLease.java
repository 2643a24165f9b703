package io.dormouse.operator.resources;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;

/**
 * The endpoint's activity Lease as the operator creates it: owned, with no renewTime, which only
 * gateways write.
 */
public final class ActivityLease {

  private ActivityLease() {}

  public static Lease build(InferenceEndpoint endpoint) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(Wiring.activityLeaseName(endpoint.getMetadata().getName()))
        .withNamespace(endpoint.getMetadata().getNamespace())
        .withLabels(Ownership.endpointLabels(endpoint))
        .withOwnerReferences(Ownership.ownerReference(endpoint))
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .build();
  }
}
