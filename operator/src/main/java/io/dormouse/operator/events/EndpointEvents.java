package io.dormouse.operator.events;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.operator.lifecycle.Plan;

/** Where a decision's lifecycle events go besides the journal. Must not block. */
public interface EndpointEvents {

  EndpointEvents NONE = (endpoint, before, plan) -> {};

  void emit(InferenceEndpoint endpoint, InferenceEndpointStatus before, Plan plan);
}
