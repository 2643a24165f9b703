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

  /** The ready replicas of the gateway itself, from its own Service's EndpointSlices. */
  void gatewayPeers(List<GatewayPeer> ready);

  /**
   * One ready gateway replica.
   *
   * @param name its pod name (the slice's target), or its address when the slice names none
   * @param managementPort where it takes peer messages, or 0 when its slice lists no such port
   */
  record GatewayPeer(String name, String host, int managementPort) {}
}
