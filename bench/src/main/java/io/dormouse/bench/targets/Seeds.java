package io.dormouse.bench.targets;

import io.dormouse.api.v1alpha1.CapacityType;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;

/**
 * The objects the benchmark puts in the mock API server in place of a cluster: a tier, endpoints
 * whose limits never reject the benchmark's load, and EndpointSlices as the EndpointSlice
 * controller would write them.
 */
public final class Seeds {

  public static final String GATEWAY_NAMESPACE = "dormouse-system";
  public static final String ENDPOINT_NAMESPACE = "bench";
  public static final String TIER = "bench-tier";
  public static final String PROJECT = "bench";
  public static final String GATEWAY_SERVICE = "dormouse-gateway";

  private Seeds() {}

  public static GpuTier tier() {
    GpuTier tier = new GpuTier();
    tier.setMetadata(new ObjectMetaBuilder().withName(TIER).build());
    tier.getSpec().setCapacityType(CapacityType.ON_DEMAND);
    tier.getSpec().setPricePerGpuHour("1.00");
    return tier;
  }

  /**
   * An endpoint serving {@code name} to the bench project, with rate limits far above what two
   * cores can send (so they are checked on every request and never reject) and room for more
   * waiting requests than the wake benchmark holds.
   */
  public static InferenceEndpoint endpoint(String name, int maxWaiting) {
    InferenceEndpoint ie = new InferenceEndpoint();
    ie.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(ENDPOINT_NAMESPACE).build());
    ie.getSpec().getModel().setName("bench/" + name);
    ie.getSpec().getModel().setServedName(name);
    ie.getSpec().setTiers(List.of(TIER));
    ie.getSpec().getAccess().setProjects(List.of(PROJECT));
    ie.getSpec().getLimits().setRequestsPerSecond(1_000_000);
    ie.getSpec().getLimits().setTokensPerSecond(1_000_000_000);
    ie.getSpec().getLimits().setMaxConcurrentRequestsPerReplica(100_000);
    ie.getSpec().getLimits().setMaxWaitingRequests(maxWaiting);
    ie.getSpec().getScaling().setWakeTimeout("2m");
    return ie;
  }

  /** The slice of an endpoint's engine Service: one address on loopback, ready or not. */
  public static EndpointSlice engineSlice(String endpoint, int port, boolean ready) {
    String service = Wiring.engineName(endpoint, TIER);
    return slice(
        ENDPOINT_NAMESPACE,
        service + "-bench",
        service,
        Map.of(Wiring.LABEL_ENDPOINT, endpoint, Wiring.LABEL_TIER, TIER),
        port,
        ready);
  }

  /** The gateway's own Service with one ready replica, so each replica's share is the whole. */
  public static EndpointSlice gatewaySlice(int port) {
    return slice(
        GATEWAY_NAMESPACE,
        GATEWAY_SERVICE + "-bench",
        GATEWAY_SERVICE,
        Map.of(Wiring.LABEL_ROLE, Wiring.ROLE_GATEWAY),
        port,
        true);
  }

  private static EndpointSlice slice(
      String namespace,
      String name,
      String service,
      Map<String, String> labels,
      int port,
      boolean ready) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels("kubernetes.io/service-name", service)
        .addToLabels(labels)
        .endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint()
        .withAddresses("127.0.0.1")
        .withNewConditions()
        .withReady(ready)
        .withServing(ready)
        .withTerminating(false)
        .endConditions()
        .endEndpoint()
        .addNewPort()
        .withName(Wiring.ENGINE_PORT_NAME)
        .withPort(port)
        .withProtocol("TCP")
        .endPort()
        .build();
  }
}
