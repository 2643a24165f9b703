package io.dormouse.gateway.kube;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The gateway replicas one of the gateway's own EndpointSlices lists as ready: each by its pod
 * name, its address, and the management port where it takes peer messages.
 */
final class GatewayPeers {

  /** The Service port names under which the management port may be listed. */
  static final Set<String> MANAGEMENT_PORT_NAMES = Set.of("metrics", "management");

  private GatewayPeers() {}

  static List<FleetUpdates.GatewayPeer> of(EndpointSlice slice) {
    int port = 0;
    if (slice.getPorts() != null) {
      for (EndpointPort p : slice.getPorts()) {
        if (p.getPort() != null && MANAGEMENT_PORT_NAMES.contains(p.getName())) {
          port = p.getPort();
        }
      }
    }
    List<FleetUpdates.GatewayPeer> out = new ArrayList<>();
    if (slice.getEndpoints() == null) {
      return out;
    }
    for (Endpoint e : slice.getEndpoints()) {
      var c = e.getConditions();
      boolean ready = c == null || !Boolean.FALSE.equals(c.getReady());
      if (!ready || e.getAddresses() == null || e.getAddresses().isEmpty()) {
        continue;
      }
      String address = e.getAddresses().get(0);
      String name =
          e.getTargetRef() != null && e.getTargetRef().getName() != null
              ? e.getTargetRef().getName()
              : address;
      out.add(new FleetUpdates.GatewayPeer(name, address, port));
    }
    return out;
  }
}
