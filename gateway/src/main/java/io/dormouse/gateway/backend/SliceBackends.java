package io.dormouse.gateway.backend;

import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;

/** The addresses of an EndpointSlice that may take traffic: ready and not terminating. */
public final class SliceBackends {

  private SliceBackends() {}

  public static List<Backend> of(EndpointSlice slice, String tier) {
    int port = port(slice);
    List<Backend> out = new ArrayList<>();
    if (slice.getEndpoints() == null || port <= 0) {
      return out;
    }
    for (Endpoint e : slice.getEndpoints()) {
      if (takesTraffic(e) && e.getAddresses() != null) {
        for (String address : e.getAddresses()) {
          out.add(new Backend(address, port, tier));
        }
      }
    }
    return out;
  }

  /** Ready and not terminating. Kubernetes says an unknown readiness is to be read as ready. */
  static boolean takesTraffic(Endpoint e) {
    var c = e.getConditions();
    if (c == null) {
      return true;
    }
    return !Boolean.FALSE.equals(c.getReady()) && !Boolean.TRUE.equals(c.getTerminating());
  }

  /** The port named {@code http}, else the only port, else the engine's default port. */
  static int port(EndpointSlice slice) {
    List<EndpointPort> ports = slice.getPorts();
    if (ports == null || ports.isEmpty()) {
      return Wiring.ENGINE_PORT;
    }
    for (EndpointPort p : ports) {
      if (Wiring.ENGINE_PORT_NAME.equals(p.getName()) && p.getPort() != null) {
        return p.getPort();
      }
    }
    return ports.get(0).getPort() == null ? Wiring.ENGINE_PORT : ports.get(0).getPort();
  }
}
