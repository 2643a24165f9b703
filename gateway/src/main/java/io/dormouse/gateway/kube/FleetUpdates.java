package io.dormouse.gateway.kube;

import io.dormouse.api.tenancy.ProjectPolicy;
import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.routing.EndpointRef;
import io.dormouse.gateway.routing.EndpointRoute;
import java.util.List;

/** What the watches tell the data path, already turned into plain values. */
public interface FleetUpdates {

  void endpointChanged(EndpointRoute route);

  void endpointRemoved(EndpointRef ref);

  /** The namespaces' declared projects changed (or this is the first word on them). */
  void projectPolicyChanged(ProjectPolicy policy);

  /** The ready, non-terminating addresses of one EndpointSlice of a Service. */
  void sliceChanged(String namespace, String sliceName, String serviceName, List<Backend> ready);

  void sliceRemoved(String namespace, String sliceName);

  /** Ready replicas of the gateway itself: each enforces limit / this. */
  void gatewayReplicas(int ready);
}
